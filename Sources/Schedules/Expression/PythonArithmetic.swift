#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C math library and `errno`, named through their module so that declarations
/// elsewhere in this module cannot shadow them.
enum ExprLibm {
    #if canImport(Glibc)
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    @inline(__always) static func fmod(_ x: Double, _ y: Double) -> Double { Glibc.fmod(x, y) }
    @inline(__always) static func copysign(_ x: Double, _ y: Double) -> Double { Glibc.copysign(x, y) }
    @inline(__always) static func scalbn(_ x: Double, _ n: Int32) -> Double { Glibc.scalbn(x, n) }
    @inline(__always) static func floor(_ x: Double) -> Double { Glibc.floor(x) }
    @inline(__always) static func ceil(_ x: Double) -> Double { Glibc.ceil(x) }
    @inline(__always) static func fabs(_ x: Double) -> Double { Glibc.fabs(x) }
    @inline(__always) static func sqrt(_ x: Double) -> Double { Glibc.sqrt(x) }
    @inline(__always) static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    @inline(__always) static func tan(_ x: Double) -> Double { Glibc.tan(x) }
    @inline(__always) static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inline(__always) static func erf(_ x: Double) -> Double { Glibc.erf(x) }
    static var errno: Int32 {
        @inline(__always) get { Glibc.errno }
        @inline(__always) set { Glibc.errno = newValue }
    }
    static let EDOM = Glibc.EDOM
    static let ERANGE = Glibc.ERANGE
    #else
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
    @inline(__always) static func fmod(_ x: Double, _ y: Double) -> Double { Darwin.fmod(x, y) }
    @inline(__always) static func copysign(_ x: Double, _ y: Double) -> Double { Darwin.copysign(x, y) }
    @inline(__always) static func scalbn(_ x: Double, _ n: Int32) -> Double { Darwin.scalbn(x, n) }
    @inline(__always) static func floor(_ x: Double) -> Double { Darwin.floor(x) }
    @inline(__always) static func ceil(_ x: Double) -> Double { Darwin.ceil(x) }
    @inline(__always) static func fabs(_ x: Double) -> Double { Darwin.fabs(x) }
    @inline(__always) static func sqrt(_ x: Double) -> Double { Darwin.sqrt(x) }
    @inline(__always) static func exp(_ x: Double) -> Double { Darwin.exp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { Darwin.log(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { Darwin.cos(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { Darwin.sin(x) }
    @inline(__always) static func tan(_ x: Double) -> Double { Darwin.tan(x) }
    @inline(__always) static func tanh(_ x: Double) -> Double { Darwin.tanh(x) }
    @inline(__always) static func erf(_ x: Double) -> Double { Darwin.erf(x) }
    static var errno: Int32 {
        @inline(__always) get { Darwin.errno }
        @inline(__always) set { Darwin.errno = newValue }
    }
    static let EDOM = Darwin.EDOM
    static let ERANGE = Darwin.ERANGE
    #endif
}

/// A runtime failure of one operation, before the interpreter attaches a column.
enum ExprFault: Error, Sendable, Equatable {
    case integerDivisionByZero
    case integerModuloByZero
    case divisionByZero
    case floatDivisionByZero
    case floatFloorDivisionByZero
    case floatModuloByZero
    case zeroToNegativePower
    case complexResult
    case powerOutOfRange
    case unexpectedErrno(Int32)
    case integerOverflow
    case mathDomain
    case mathRange
    case infinityToInteger
    case nanToInteger

    var kind: ExpressionError.Kind {
        switch self {
        case .integerDivisionByZero, .integerModuloByZero, .divisionByZero, .floatDivisionByZero,
            .floatFloorDivisionByZero, .floatModuloByZero, .zeroToNegativePower:
            return .zeroDivision
        case .complexResult, .integerOverflow:
            return .unsupported
        case .powerOutOfRange, .mathRange, .infinityToInteger:
            return .overflow
        case .unexpectedErrno, .mathDomain, .nanToInteger:
            return .value
        }
    }

    var message: String {
        switch self {
        case .integerDivisionByZero: return "ZeroDivisionError: integer division or modulo by zero"
        case .integerModuloByZero: return "ZeroDivisionError: integer modulo by zero"
        case .divisionByZero: return "ZeroDivisionError: division by zero"
        case .floatDivisionByZero: return "ZeroDivisionError: float division by zero"
        case .floatFloorDivisionByZero: return "ZeroDivisionError: float floor division by zero"
        case .floatModuloByZero: return "ZeroDivisionError: float modulo"
        case .zeroToNegativePower: return "ZeroDivisionError: 0.0 cannot be raised to a negative power"
        case .complexResult:
            return "a negative number raised to a non-integer power gives a complex number, which is not supported"
        case .powerOutOfRange: return "OverflowError: (34, 'Numerical result out of range')"
        case .unexpectedErrno(let code): return "ValueError: [Errno \(code)] unexpected math library error"
        case .integerOverflow: return "integer result too large (only 64-bit ints are supported)"
        case .mathDomain: return "ValueError: math domain error"
        case .mathRange: return "OverflowError: math range error"
        case .infinityToInteger: return "OverflowError: cannot convert float infinity to integer"
        case .nanToInteger: return "ValueError: cannot convert float NaN to integer"
        }
    }
}

/// CPython's numeric operations on `int` (limited to 64 bits) and `float`, following
/// Objects/longobject.c, Objects/floatobject.c and Modules/mathmodule.c.
enum PythonArithmetic {
    // MARK: Binary arithmetic

    @inline(__always)
    static func add(_ a: PythonNumber, _ b: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, overflow) = x.addingReportingOverflow(y)
            if overflow { throw .integerOverflow }
            return .int(r)
        case let (.float(x), .float(y)): return .float(x + y)
        case let (.int(x), .float(y)): return .float(Double(x) + y)
        case let (.float(x), .int(y)): return .float(x + Double(y))
        }
    }

    @inline(__always)
    static func subtract(_ a: PythonNumber, _ b: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, overflow) = x.subtractingReportingOverflow(y)
            if overflow { throw .integerOverflow }
            return .int(r)
        case let (.float(x), .float(y)): return .float(x - y)
        case let (.int(x), .float(y)): return .float(Double(x) - y)
        case let (.float(x), .int(y)): return .float(x - Double(y))
        }
    }

    @inline(__always)
    static func multiply(_ a: PythonNumber, _ b: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { throw .integerOverflow }
            return .int(r)
        case let (.float(x), .float(y)): return .float(x * y)
        case let (.int(x), .float(y)): return .float(Double(x) * y)
        case let (.float(x), .int(y)): return .float(x * Double(y))
        }
    }

    /// `a / b`: always a float; int / int is the correctly rounded quotient (long_true_divide).
    static func trueDivide(_ a: PythonNumber, _ b: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw .divisionByZero }
            return .float(correctlyRoundedQuotient(x, y))
        default:
            let y = b.doubleValue
            if y == 0 { throw .floatDivisionByZero }
            return .float(a.doubleValue / y)
        }
    }

    /// `a // b`: floor division; for floats CPython's `_float_div_mod`.
    static func floorDivide(_ a: PythonNumber, _ b: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw .integerDivisionByZero }
            if y == -1 {
                if x == .min { throw .integerOverflow }
                return .int(-x)
            }
            var q = x / y
            if x % y != 0 && ((x < 0) != (y < 0)) { q -= 1 }
            return .int(q)
        default:
            let y = b.doubleValue
            if y == 0 { throw .floatFloorDivisionByZero }
            return .float(floatDivMod(a.doubleValue, y).floorDiv)
        }
    }

    /// `a % b`: the result takes the sign of the divisor; for floats CPython's `float_rem`.
    static func modulo(_ a: PythonNumber, _ b: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw .integerModuloByZero }
            if y == -1 { return .int(0) }
            var r = x % y
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return .int(r)
        default:
            let y = b.doubleValue
            if y == 0 { throw .floatModuloByZero }
            return .float(floatRemainder(a.doubleValue, y))
        }
    }

    /// `a ** b`: int ** non-negative int is exact; everything else is CPython's `float_pow`.
    static func power(_ a: PythonNumber, _ b: PythonNumber) throws(ExprFault) -> PythonNumber {
        if case let (.int(x), .int(y)) = (a, b), y >= 0 {
            return .int(try integerPower(x, y))
        }
        return .float(try floatPower(a.doubleValue, b.doubleValue))
    }

    // MARK: Unary operations

    @inline(__always)
    static func negate(_ a: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch a {
        case .int(let x):
            if x == .min { throw .integerOverflow }
            return .int(-x)
        case .float(let x): return .float(-x)
        }
    }

    static func absolute(_ a: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch a {
        case .int(let x):
            if x == .min { throw .integerOverflow }
            return .int(x < 0 ? -x : x)
        case .float(let x): return .float(ExprLibm.fabs(x))
        }
    }

    // MARK: Comparisons

    /// The mathematical order of two numbers, exact across int and float; nil when a NaN is involved.
    @inline(__always)
    static func compare(_ a: PythonNumber, _ b: PythonNumber) -> ComparisonResult {
        switch (a, b) {
        case let (.int(x), .int(y)):
            return x < y ? .less : (x == y ? .equal : .greater)
        case let (.float(x), .float(y)):
            return compareDoubles(x, y)
        case let (.int(x), .float(y)):
            return compareIntToDouble(x, y)
        case let (.float(x), .int(y)):
            return compareIntToDouble(y, x).reversed
        }
    }

    enum ComparisonResult: Equatable {
        case less, equal, greater, unordered

        var reversed: ComparisonResult {
            switch self {
            case .less: return .greater
            case .greater: return .less
            case .equal, .unordered: return self
            }
        }
    }

    @inline(__always)
    static func compareDoubles(_ x: Double, _ y: Double) -> ComparisonResult {
        if x < y { return .less }
        if x > y { return .greater }
        if x == y { return .equal }
        return .unordered
    }

    /// Compares an int with a double mathematically, as `float_richcompare` does.
    static func compareIntToDouble(_ i: Int, _ d: Double) -> ComparisonResult {
        if d.isNaN { return .unordered }
        if i.magnitude <= (1 << 53) {
            return compareDoubles(Double(i), d)  // Double(i) is exact here
        }
        if d >= 0x1p63 { return .less }
        if d < -0x1p63 { return .greater }
        // d is finite with |d| <= 2^63; its floor fits in an Int.
        let whole = d.rounded(.down)
        let floorValue = Int(whole)
        if i < floorValue { return .less }
        if i > floorValue { return .greater }
        return d > whole ? .less : .equal
    }

    // MARK: Functions

    /// `math.floor` / `math.ceil`: ints pass through; floats become ints (PyLong_FromDouble).
    static func floorOrCeil(_ a: PythonNumber, ceiling: Bool) throws(ExprFault) -> PythonNumber {
        switch a {
        case .int: return a
        case .float(let x):
            return .int(try doubleToInt(ceiling ? ExprLibm.ceil(x) : ExprLibm.floor(x)))
        }
    }

    /// `int(x)`: ints pass through; floats are truncated toward zero (`float.__trunc__`).
    static func truncate(_ a: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch a {
        case .int: return a
        case .float(let x): return .int(try doubleToInt(x.rounded(.towardZero)))
        }
    }

    /// `round(x)` with one argument: ints pass through; floats round half to even to an int
    /// (`float.__round__`).
    static func roundHalfEven(_ a: PythonNumber) throws(ExprFault) -> PythonNumber {
        switch a {
        case .int: return a
        case .float(let x): return .int(try doubleToInt(x.rounded(.toNearestOrEven)))
        }
    }

    static func doubleToInt(_ x: Double) throws(ExprFault) -> Int {
        if x.isNaN { throw .nanToInteger }
        if x.isInfinite { throw .infinityToInteger }
        guard x >= -0x1p63 && x < 0x1p63 else { throw .integerOverflow }
        return Int(x)
    }

    /// CPython's `math_1`: calls a libm function and maps NaN, infinity and errno to Python exceptions.
    @inline(__always)
    static func math1(_ x: Double, canOverflow: Bool, _ function: (Double) -> Double) throws(ExprFault) -> Double {
        ExprLibm.errno = 0
        let r = function(x)
        if r.isNaN && !x.isNaN { throw .mathDomain }
        if r.isInfinite && x.isFinite { throw canOverflow ? .mathRange : .mathDomain }
        if r.isFinite && ExprLibm.errno != 0 {
            let code = ExprLibm.errno
            if code == ExprLibm.EDOM { throw .mathDomain }
            if code == ExprLibm.ERANGE {
                if ExprLibm.fabs(r) >= 1.5 { throw .mathRange }
            } else {
                throw .unexpectedErrno(code)
            }
        }
        return r
    }

    static func unaryMath(_ a: PythonNumber, _ function: MathFunction) throws(ExprFault) -> PythonNumber {
        let x = a.doubleValue
        switch function {
        case .sqrt: return .float(try math1(x, canOverflow: false) { ExprLibm.sqrt($0) })
        case .exp: return .float(try math1(x, canOverflow: true) { ExprLibm.exp($0) })
        case .cos: return .float(try math1(x, canOverflow: false) { ExprLibm.cos($0) })
        case .sin: return .float(try math1(x, canOverflow: false) { ExprLibm.sin($0) })
        case .tan: return .float(try math1(x, canOverflow: false) { ExprLibm.tan($0) })
        case .tanh: return .float(try math1(x, canOverflow: false) { ExprLibm.tanh($0) })
        case .log: return .float(try logHelper(a))
        }
    }

    enum MathFunction: UInt8 {
        case sqrt, exp, cos, sin, tan, tanh, log
    }

    /// CPython's `m_log`: log with explicit handling of non-positive and non-finite inputs.
    static func mLog(_ x: Double) -> Double {
        if x.isFinite {
            if x > 0 { return ExprLibm.log(x) }
            ExprLibm.errno = ExprLibm.EDOM
            return x == 0 ? -Double.infinity : Double.nan
        }
        if x.isNaN { return x }
        if x > 0 { return x }
        ExprLibm.errno = ExprLibm.EDOM
        return Double.nan
    }

    /// CPython's `loghelper`: ints are checked for positivity, floats go through `math_1`.
    static func logHelper(_ a: PythonNumber) throws(ExprFault) -> Double {
        switch a {
        case .int(let x):
            if x <= 0 { throw .mathDomain }
            return mLog(Double(x))
        case .float(let x):
            return try math1(x, canOverflow: false, mLog)
        }
    }

    /// `math.log(x, base)`: `loghelper(x) / loghelper(base)` with float division.
    static func logWithBase(_ a: PythonNumber, _ base: PythonNumber) throws(ExprFault) -> PythonNumber {
        let numerator = try logHelper(a)
        let denominator = try logHelper(base)
        if denominator == 0 { throw .floatDivisionByZero }
        return .float(numerator / denominator)
    }

    // MARK: Helpers

    /// The quotient x / y of two ints, correctly rounded to a double.
    static func correctlyRoundedQuotient(_ x: Int, _ y: Int) -> Double {
        let limit: UInt = 1 << 53
        if x.magnitude <= limit && y.magnitude <= limit {
            return Double(x) / Double(y)  // both exact: one correctly rounded IEEE division
        }
        let negative = (x < 0) != (y < 0)
        let a = x.magnitude
        let b = y.magnitude
        if a == 0 { return negative ? -0.0 : 0.0 }
        let aBits = UInt.bitWidth - a.leadingZeroBitCount
        let bBits = UInt.bitWidth - b.leadingZeroBitCount
        // Scale so the integer quotient has at least 56 significant bits; the remainder
        // then only matters as a sticky bit below the rounding position.
        // a << shift < 2^120 and the quotient stays below 2^64, so high < b.
        let shift = max(0, 56 + bBits - aBits)
        let high: UInt = shift == 0 ? 0 : (shift < 64 ? a >> (64 - shift) : a << (shift - 64))
        let low: UInt = shift < 64 ? a << shift : 0
        let (q, r) = b.dividingFullWidth((high: high, low: low))
        let quotient = Double(r == 0 ? q : q | 1)
        let value = ExprLibm.scalbn(quotient, Int32(-shift))
        return negative ? -value : value
    }

    /// `x ** y` for ints with y >= 0, exact or refused.
    static func integerPower(_ base: Int, _ exponent: Int) throws(ExprFault) -> Int {
        if base == 0 { return exponent == 0 ? 1 : 0 }
        if base == 1 { return 1 }
        if base == -1 { return exponent & 1 == 0 ? 1 : -1 }
        var result = 1
        var b = base
        var e = exponent
        while true {
            if e & 1 != 0 {
                let (r, overflow) = result.multipliedReportingOverflow(by: b)
                if overflow { throw .integerOverflow }
                result = r
            }
            e >>= 1
            if e == 0 { return result }
            let (square, overflow) = b.multipliedReportingOverflow(by: b)
            if overflow { throw .integerOverflow }
            b = square
        }
    }

    @inline(__always)
    static func isOddInteger(_ x: Double) -> Bool {
        ExprLibm.fmod(ExprLibm.fabs(x), 2.0) == 1.0
    }

    /// CPython's `float_pow`, special cases first, then the platform `pow`.
    static func floatPower(_ base: Double, _ exponent: Double) throws(ExprFault) -> Double {
        var iv = base
        let iw = exponent
        if iw == 0 { return 1.0 }
        if iv.isNaN { return iv }
        if iw.isNaN { return iv == 1.0 ? 1.0 : iw }
        if iw.isInfinite {
            iv = ExprLibm.fabs(iv)
            if iv == 1.0 { return 1.0 }
            if (iw > 0) == (iv > 1.0) { return ExprLibm.fabs(iw) }
            return 0.0
        }
        if iv.isInfinite {
            let odd = isOddInteger(iw)
            if iw > 0 { return odd ? iv : ExprLibm.fabs(iv) }
            return odd ? ExprLibm.copysign(0.0, iv) : 0.0
        }
        if iv == 0 {
            let odd = isOddInteger(iw)
            if iw < 0 { throw .zeroToNegativePower }
            return odd ? iv : 0.0
        }
        var negateResult = false
        if iv < 0 {
            if iw != ExprLibm.floor(iw) { throw .complexResult }
            iv = -iv
            negateResult = isOddInteger(iw)
        }
        if iv == 1.0 { return negateResult ? -1.0 : 1.0 }
        // x ** 1.0 (PolynomialLR's and transformers' default power): glibc's pow is within
        // 0.52 ulp of the exact result, here the finite iv itself, so it returns iv and sets no
        // errno; no need to call it.
        if iw == 1.0 { return negateResult ? -iv : iv }
        ExprLibm.errno = 0
        var ix = ExprLibm.pow(iv, iw)
        // _Py_ADJUST_ERANGE1
        var code = ExprLibm.errno
        if code == 0 {
            if ix.isInfinite { code = ExprLibm.ERANGE }
        } else if code == ExprLibm.ERANGE && ix == 0 {
            code = 0
        }
        if negateResult { ix = -ix }
        if code != 0 {
            throw code == ExprLibm.ERANGE ? .powerOutOfRange : .unexpectedErrno(code)
        }
        return ix
    }

    /// CPython's `float_rem`.
    static func floatRemainder(_ vx: Double, _ wx: Double) -> Double {
        var mod = ExprLibm.fmod(vx, wx)
        if mod != 0 {
            if (wx < 0) != (mod < 0) { mod += wx }
        } else {
            mod = ExprLibm.copysign(0.0, wx)
        }
        return mod
    }

    /// CPython's `_float_div_mod`.
    static func floatDivMod(_ vx: Double, _ wx: Double) -> (floorDiv: Double, mod: Double) {
        var mod = ExprLibm.fmod(vx, wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) {
                mod += wx
                div -= 1.0
            }
        } else {
            mod = ExprLibm.copysign(0.0, wx)
        }
        var floorDiv: Double
        if div != 0 {
            floorDiv = ExprLibm.floor(div)
            if div - floorDiv > 0.5 { floorDiv += 1.0 }
        } else {
            floorDiv = ExprLibm.copysign(0.0, vx / wx)
        }
        return (floorDiv, mod)
    }
}
