/// CPython arithmetic on plain `Int`/`Double` operands, as torch's scheduler code performs it:
/// a thin typed front end to `PythonArithmetic` (the same code the `lr_lambda` interpreter runs),
/// so that division by zero raises, `**` has CPython's special cases and overflow checks, and
/// integer `//` and `%` floor toward negative infinity.
enum PythonFloat {
    /// `a / b` for floats (`ZeroDivisionError` when `b == 0`).
    @inline(__always)
    static func divide(_ a: Double, _ b: Double) throws(ExprFault) -> Double {
        if b == 0 { throw .floatDivisionByZero }
        return a / b
    }

    /// `float(n)`: the nearest double (exact below 2^53 in magnitude).
    ///
    /// Non-negative ints below 2^52 become the significand of 2^52, and 2^52 is subtracted
    /// (both steps exact), instead of converting with `cvtsi2sd`, which writes only the low half
    /// of its register and so waits for whatever last wrote that register. In a scheduler whose
    /// steps chain (each LR computed from the previous one), that false dependency made each
    /// step's cosine wait for the previous step's LR, so the steps could not overlap.
    @inline(__always)
    static func float(_ n: Int) -> Double {
        if UInt(bitPattern: n) < 1 << 52 {
            return Double(bitPattern: 0x4330_0000_0000_0000 | UInt64(UInt(bitPattern: n))) - 0x1p52
        }
        return Double(n)
    }

    /// `a / b` for ints: the correctly rounded quotient.
    @inline(__always)
    static func trueDivide(_ a: Int, _ b: Int) throws(ExprFault) -> Double {
        try PythonArithmetic.trueDivide(.int(a), .int(b)).doubleValue
    }

    /// `a % b` for ints: the result has the sign of `b`.
    @inline(__always)
    static func modulo(_ a: Int, _ b: Int) throws(ExprFault) -> Int {
        if b > 0 {
            // Python's result takes the divisor's sign: C's remainder, moved up by b when negative.
            let r = a % b
            return r < 0 ? r + b : r
        }
        guard case .int(let r) = try PythonArithmetic.modulo(.int(a), .int(b)) else { return 0 }
        return r
    }

    /// `a // b` for ints: floors toward negative infinity.
    @inline(__always)
    static func floorDivide(_ a: Int, _ b: Int) throws(ExprFault) -> Int {
        if b > 0 {
            // Python floors: C's quotient truncates toward zero, so one less when a negative
            // dividend leaves a remainder.
            let q = a / b
            return a < 0 && q * b != a ? q - 1 : q
        }
        guard case .int(let q) = try PythonArithmetic.floorDivide(.int(a), .int(b)) else { return 0 }
        return q
    }

    /// `math.floor(x)` for a float.
    @inline(__always)
    static func floor(_ x: Double) throws(ExprFault) -> Int {
        guard case .int(let i) = try PythonArithmetic.floorOrCeil(.float(x), ceiling: false) else { return 0 }
        return i
    }

    /// `x ** y` for floats: CPython's `float_pow`.
    @inline(__always)
    static func power(_ x: Double, _ y: Double) throws(ExprFault) -> Double {
        try PythonArithmetic.floatPower(x, y)
    }
}

extension PythonFloat {
    /// `a % b` for floats: the result has the sign of `b` (`ZeroDivisionError` when `b == 0`).
    @inline(__always)
    static func remainder(_ a: Double, _ b: Double) throws(ExprFault) -> Double {
        if b == 0 { throw .floatModuloByZero }
        return PythonArithmetic.floatRemainder(a, b)
    }

    /// `math.sqrt(x)` (`ValueError: math domain error` for negative `x`).
    @inline(__always)
    static func sqrt(_ x: Double) throws(ExprFault) -> Double {
        if x < 0 { throw .mathDomain }
        return ExprLibm.sqrt(x)
    }

    /// Python's `max(a, b)` on floats: `a` unless `b > a` (so NaN and ties keep `a`).
    @inline(__always)
    static func max(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

    /// Python's `min(a, b)` on floats: `a` unless `b < a`.
    @inline(__always)
    static func min(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
}
