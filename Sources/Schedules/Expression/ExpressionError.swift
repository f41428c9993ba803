/// Where and why an expression failed: column is 1-based, in characters of `source`.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong. Runtime errors start with the Python exception name, e.g.
    /// `"ZeroDivisionError: float division by zero"`.
    public var message: String
    /// 1-based column, counted in characters of the source, of the offending token, operator or call.
    public var column: Int
    /// The class of the failure.
    public var kind: Kind

    /// The class of an expression failure.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The source is not a valid expression, or exceeds a size limit (Python: `SyntaxError`).
        case syntax
        /// An unknown name or attribute (Python: `NameError` / `AttributeError`).
        case name
        /// A wrong call: wrong arity, keyword arguments, calling a number (Python: `TypeError`).
        case type
        /// Division, floor division or modulo by zero, or `0.0 ** negative` (Python: `ZeroDivisionError`).
        case zeroDivision
        /// A math domain error or NaN to int conversion (Python: `ValueError`).
        case value
        /// A float result out of range or infinity to int conversion (Python: `OverflowError`).
        case overflow
        /// Valid Python whose result this implementation refuses: an int outside 64 bits,
        /// a complex number, or a construct outside the supported language.
        case unsupported

        /// The Python exception class name that corresponds to this kind; `"Unsupported"` for `.unsupported`.
        public var pythonExceptionName: String {
            switch self {
            case .syntax: return "SyntaxError"
            case .name: return "NameError"
            case .type: return "TypeError"
            case .zeroDivision: return "ZeroDivisionError"
            case .value: return "ValueError"
            case .overflow: return "OverflowError"
            case .unsupported: return "Unsupported"
            }
        }
    }

    /// Creates an error; `kind` defaults to `.syntax`.
    public init(message: String, column: Int, kind: Kind = .syntax) {
        self.message = message
        self.column = column
        self.kind = kind
    }

    /// `"column N: message"`.
    public var description: String { "column \(column): \(message)" }
}
