/// A Python number: `int` (bool folds into int: True == 1) or `float`.
///
/// Python ints are arbitrary precision; here they are limited to 64 bits and any
/// operation whose exact result does not fit is refused with an error.
/// Equality is Swift's: `.float(.nan) != .float(.nan)` and `.float(0.0) == .float(-0.0)`;
/// compare `bitPattern`s to test floats for identity.
public enum PythonNumber: Sendable, Equatable {
    /// A Python `int` (or `bool`, as 0 or 1).
    case int(Int)
    /// A Python `float` (IEEE 754 binary64).
    case float(Double)

    /// The value as Python's `float(x)` gives it: ints are rounded to the nearest double, ties to even.
    @inlinable
    public var doubleValue: Double {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        }
    }

    /// Python's truth value: nonzero ints and floats are true, NaN included.
    @inlinable
    public var isTruthy: Bool {
        switch self {
        case .int(let value): return value != 0
        case .float(let value): return value != 0
        }
    }

    /// True for `.float`, false for `.int`.
    @inlinable
    public var isFloat: Bool {
        if case .float = self { return true }
        return false
    }
}
