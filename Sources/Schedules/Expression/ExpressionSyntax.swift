/// Binary arithmetic operators.
enum ExprBinaryOperator: UInt8, Sendable {
    case add, subtract, multiply, trueDivide, floorDivide, modulo, power
}

/// Comparison operators.
enum ExprComparison: UInt8, Sendable {
    case less, lessEqual, greater, greaterEqual, equal, notEqual

    init?(_ symbol: ExprSymbol) {
        switch symbol {
        case .less: self = .less
        case .lessEqual: self = .lessEqual
        case .greater: self = .greater
        case .greaterEqual: self = .greaterEqual
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        default: return nil
        }
    }

    /// Applies the comparison to an exact ordering; NaN compares unequal to everything.
    @inline(__always)
    func holds(_ order: PythonArithmetic.ComparisonResult) -> Bool {
        switch self {
        case .less: return order == .less
        case .lessEqual: return order == .less || order == .equal
        case .greater: return order == .greater
        case .greaterEqual: return order == .greater || order == .equal
        case .equal: return order == .equal
        case .notEqual: return order != .equal
        }
    }
}

/// Built-in functions of the language.
enum ExprFunction: Sendable, Equatable {
    case min, max, abs, floor, ceil
    /// `float(x)`, `int(x)` (truncation toward zero) and `round(x)` (half to even, an int).
    case float, int, round
    case math(PythonArithmetic.MathFunction)

    var arityDescription: String {
        switch self {
        case .min, .max: return "at least 2 arguments"
        case .math(.log): return "1 or 2 arguments"
        case .round: return "exactly one argument (round(x, ndigits) is not supported)"
        default: return "exactly one argument"
        }
    }

    func accepts(argumentCount count: Int) -> Bool {
        switch self {
        case .min, .max: return count >= 2
        case .math(.log): return count == 1 || count == 2
        default: return count == 1
        }
    }
}

/// A syntax tree node; `column` is where runtime errors of this node are reported.
struct ExprNode: Sendable {
    indirect enum Kind: Sendable {
        case constant(PythonNumber)
        case variable
        case negate(ExprNode)
        case positive(ExprNode)
        case not(ExprNode)
        case binary(ExprBinaryOperator, ExprNode, ExprNode)
        case and(ExprNode, ExprNode)
        case or(ExprNode, ExprNode)
        /// `first op1 x1 op2 x2 ...`; each element carries its operator's column.
        case compare(ExprNode, [(ExprComparison, ExprNode, Int)])
        case conditional(test: ExprNode, body: ExprNode, orElse: ExprNode)
        case call(ExprFunction, [ExprNode])
    }

    var kind: Kind
    var column: Int
}
