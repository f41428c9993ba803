#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exception CPython would raise from a float or int operation.
public enum PythonArithmeticError: Error, Sendable, Equatable {
    /// `ZeroDivisionError` with CPython's message.
    case zeroDivision(String)
    /// `OverflowError` with CPython's message.
    case overflow(String)
    /// `ValueError` with CPython's message (e.g. `math domain error`).
    case value(String)

    /// CPython's rendering, e.g. `ZeroDivisionError: float division by zero`.
    public var message: String {
        switch self {
        case .zeroDivision(let m): "ZeroDivisionError: \(m)"
        case .overflow(let m): "OverflowError: \(m)"
        case .value(let m): "ValueError: \(m)"
        }
    }
}

/// CPython's float and int arithmetic where it differs from plain IEEE 754 operators:
/// division by zero raises, `**` has CPython's special cases and overflow checks, and integer
/// `//` and `%` floor toward negative infinity.
public enum PythonFloat {
    /// `a / b` for floats: raises `ZeroDivisionError` when `b == 0` (CPython `float_div`).
    @inlinable
    public static func divide(_ a: Double, _ b: Double) throws(PythonArithmeticError) -> Double {
        if b == 0 { throw .zeroDivision("float division by zero") }
        return a / b
    }

    /// `a / b` for ints (true division); exact for operands below 2^53 in magnitude.
    @inlinable
    public static func trueDivide(_ a: Int, _ b: Int) throws(PythonArithmeticError) -> Double {
        if b == 0 { throw .zeroDivision("division by zero") }
        return Double(a) / Double(b)
    }

    /// `a % b` for ints: the result has the sign of `b` (CPython `long_mod`).
    @inlinable
    public static func modulo(_ a: Int, _ b: Int) throws(PythonArithmeticError) -> Int {
        if b == 0 { throw .zeroDivision("integer modulo by zero") }
        let r = a % b
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r
    }

    /// `a // b` for ints: floors toward negative infinity (CPython `long_div`).
    @inlinable
    public static func floorDivide(_ a: Int, _ b: Int) throws(PythonArithmeticError) -> Int {
        if b == 0 { throw .zeroDivision("integer division or modulo by zero") }
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    /// `math.floor(x)` for a float: an int, raising for infinities, NaN and values outside Int.
    @inlinable
    public static func floor(_ x: Double) throws(PythonArithmeticError) -> Int {
        if x.isNaN { throw .value("cannot convert float NaN to integer") }
        if x.isInfinite { throw .overflow("cannot convert float infinity to integer") }
        let f = x.rounded(.down)
        guard let i = Int(exactly: f) else { throw .overflow("integer result too large") }
        return i
    }

    /// `x ** y` for floats, reproducing CPython's `float_pow`: its special cases for zero,
    /// infinities and NaN, the refusal of a negative base with a fractional exponent (CPython
    /// would return a complex number), and `OverflowError` when glibc `pow` reports a range error.
    public static func power(_ x: Double, _ y: Double) throws(PythonArithmeticError) -> Double {
        var iv = x
        let iw = y
        if iw == 0 { return 1.0 }
        if iv.isNaN { return iv }
        if iw.isNaN { return iv == 1.0 ? 1.0 : iw }
        if iw.isInfinite {
            iv = Swift.abs(iv)
            if iv == 1.0 { return 1.0 }
            if (iw > 0.0) == (iv > 1.0) { return Swift.abs(iw) }
            return 0.0
        }
        if iv.isInfinite {
            let odd = isOddInteger(iw)
            if iw > 0.0 { return odd ? iv : Swift.abs(iv) }
            return odd ? Double(signOf: iv, magnitudeOf: 0.0) : 0.0
        }
        if iv == 0.0 {
            let odd = isOddInteger(iw)
            if iw < 0.0 { throw .zeroDivision("0.0 cannot be raised to a negative power") }
            return odd ? iv : 0.0
        }
        var negate = false
        if iv < 0.0 {
            if iw != iw.rounded(.down) {
                throw .value("negative number cannot be raised to a fractional power")
            }
            iv = -iv
            negate = isOddInteger(iw)
        }
        if iv == 1.0 { return negate ? -1.0 : 1.0 }
        errno = 0
        var ix = pow(iv, iw)
        if negate { ix = -ix }
        var error = errno
        if error == 0 {
            if ix.isInfinite { error = ERANGE }
        } else if error == ERANGE && ix == 0.0 {
            error = 0
        }
        if error != 0 {
            if error == ERANGE { throw .overflow("(34, 'Numerical result out of range')") }
            throw .value("math domain error")
        }
        return ix
    }

    @usableFromInline
    static func isOddInteger(_ x: Double) -> Bool {
        Swift.abs(x.truncatingRemainder(dividingBy: 2.0)) == 1.0
    }
}
