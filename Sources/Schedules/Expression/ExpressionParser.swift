/// Recursive-descent parser for Python's expression grammar, restricted to numbers,
/// one variable, arithmetic, comparisons, boolean operators, conditionals and a few functions.
///
/// ```
/// source     := ['lambda' NAME ':'] test NEWLINE* END
/// test       := or_test ['if' or_test 'else' test]
/// or_test    := and_test ('or' and_test)*
/// and_test   := not_test ('and' not_test)*
/// not_test   := 'not' not_test | comparison
/// comparison := arith (('<'|'<='|'>'|'>='|'=='|'!=') arith)*
/// arith      := term (('+'|'-') term)*
/// term       := factor (('*'|'/'|'//'|'%') factor)*
/// factor     := ('+'|'-') factor | power
/// power      := atom ['**' factor]
/// atom       := NUMBER | 'True' | 'False' | NAME | NAME '(' args ')' | 'math' '.' NAME ['(' args ')']
///             | '(' test ')'
/// args       := test (',' test)* [',']
/// ```
struct ExprParser {
    static let maxLength = 1_000
    static let maxDepth = 64
    static let maxNodes = 512

    private var lexer: ExprLexer
    private var token: ExprToken
    private(set) var variableName = "epoch"
    private var nodeCount = 0
    private var depth = 0

    private static let builtinFunctions: [String: ExprFunction] = [
        "min": .min, "max": .max, "abs": .abs, "floor": .floor, "ceil": .ceil,
        "float": .float, "int": .int, "round": .round, "sqrt": .math(.sqrt), "exp": .math(.exp), "log": .math(.log),
        "cos": .math(.cos),
        "sin": .math(.sin), "tan": .math(.tan), "tanh": .math(.tanh),
    ]
    private static let mathFunctions: [String: ExprFunction] = [
        "floor": .floor, "ceil": .ceil, "trunc": .int,
        "sqrt": .math(.sqrt), "exp": .math(.exp), "log": .math(.log), "cos": .math(.cos),
        "sin": .math(.sin), "tan": .math(.tan), "tanh": .math(.tanh),
    ]
    private static let constants: [String: Double] = ["pi": 3.141592653589793, "e": 2.718281828459045]
    /// Attributes of Python's math module that the language does not implement.
    private static let otherMathAttributes: Set<String> = [
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "comb", "copysign", "cosh",
        "degrees", "dist", "erf", "erfc", "exp2", "expm1", "fabs", "factorial", "fmod", "frexp", "fsum",
        "gamma", "gcd", "hypot", "inf", "isclose", "isfinite", "isinf", "isnan", "isqrt", "lcm", "ldexp",
        "lgamma", "log10", "log1p", "log2", "modf", "nan", "nextafter", "perm", "pow", "prod", "radians",
        "remainder", "sinh", "sumprod", "tau", "ulp",
    ]
    /// Python built-ins that the language does not implement.
    private static let otherBuiltins: Set<String> = [
        "pow", "sum", "len", "bool", "divmod", "complex", "range", "print",
        "list", "tuple", "sorted", "any", "all", "str", "map", "filter", "isinstance", "type", "eval",
    ]

    init(source: String) throws(ExpressionError) {
        lexer = ExprLexer(source: source)
        token = ExprToken(kind: .end, offset: 0)
        token = try lexer.next()
    }

    // MARK: Helpers

    private func column(_ offset: Int) -> Int { lexer.column(ofOffset: offset) }

    private func error(
        _ message: String,
        at offset: Int,
        kind: ExpressionError.Kind = .syntax
    ) -> ExpressionError {
        ExpressionError(message: message, column: column(offset), kind: kind)
    }

    private mutating func advance() throws(ExpressionError) {
        token = try lexer.next()
    }

    /// The token after the current one, without consuming anything.
    private func peekToken() throws(ExpressionError) -> ExprToken {
        var copy = lexer
        return try copy.next()
    }

    private func isSymbol(_ symbol: ExprSymbol) -> Bool {
        token.kind == .symbol(symbol)
    }

    private func isKeyword(_ keyword: ExprKeyword) -> Bool {
        token.kind == .keyword(keyword)
    }

    private mutating func makeNode(_ kind: ExprNode.Kind, at offset: Int) throws(ExpressionError) -> ExprNode {
        try countNode(at: offset)
        return ExprNode(kind: kind, column: column(offset))
    }

    private mutating func countNode(at offset: Int) throws(ExpressionError) {
        nodeCount += 1
        if nodeCount > Self.maxNodes {
            throw error("expression is too large (more than \(Self.maxNodes) syntax nodes)", at: offset)
        }
    }

    private mutating func enter(at offset: Int) throws(ExpressionError) {
        depth += 1
        if depth > Self.maxDepth {
            throw error("expression is nested too deeply (more than \(Self.maxDepth) levels)", at: offset)
        }
    }

    /// An error for a token that cannot start an operand.
    private func expectedExpression() -> ExpressionError {
        if case .name(let name) = token.kind, exprReservedWords.contains(name) {
            return reservedWordError(name, at: token.offset)
        }
        return error("expected an expression, found \(token.description)", at: token.offset)
    }

    private func reservedWordError(_ name: String, at offset: Int) -> ExpressionError {
        switch name {
        case "None":
            return error(
                "'None' is not supported: the expression must produce a number",
                at: offset,
                kind: .unsupported
            )
        case "is", "in": return error("operator '\(name)' is not supported", at: offset, kind: .unsupported)
        default: return error("unexpected keyword '\(name)'", at: offset)
        }
    }

    // MARK: Grammar

    /// Parses the whole source.
    mutating func parseSource() throws(ExpressionError) -> ExprNode {
        if isKeyword(.lambda) { try parseLambdaHeader() }
        let body = try parseTestBody()
        if token.kind == .newline {
            let newlineOffset = token.offset
            while token.kind == .newline { try advance() }
            if token.kind != .end {
                throw error(
                    "unexpected line break (line breaks are only allowed inside parentheses)",
                    at: newlineOffset
                )
            }
        }
        guard token.kind == .end else { throw trailingTokenError() }
        return body
    }

    private func trailingTokenError() -> ExpressionError {
        switch token.kind {
        case .symbol(.rightParen):
            return error("unmatched ')'", at: token.offset)
        case .symbol(.comma):
            return error(
                "tuples are not supported: the expression must produce one number",
                at: token.offset,
                kind: .unsupported
            )
        case .symbol(.assign):
            return error("assignment is not supported (use '==' to compare)", at: token.offset)
        case .name(let name) where exprReservedWords.contains(name):
            return reservedWordError(name, at: token.offset)
        case .keyword(.lambda):
            return error("'lambda' is only allowed at the start of the expression", at: token.offset)
        default:
            return error(
                "expected an operator or the end of the expression, found \(token.description)",
                at: token.offset
            )
        }
    }

    private mutating func parseLambdaHeader() throws(ExpressionError) {
        let lambdaOffset = token.offset
        try advance()
        guard case .name(let name) = token.kind, !exprReservedWords.contains(name) else {
            if isSymbol(.colon) {
                throw error("the lambda must take exactly one parameter (the epoch)", at: token.offset, kind: .type)
            }
            throw error("expected a parameter name after 'lambda', found \(token.description)", at: token.offset)
        }
        try advance()
        switch token.kind {
        case .symbol(.colon):
            try advance()
            variableName = name
        case .symbol(.comma):
            throw error("the lambda must take exactly one parameter (the epoch)", at: token.offset, kind: .type)
        case .symbol(.assign):
            throw error("default parameter values are not supported", at: token.offset, kind: .unsupported)
        default:
            throw error(
                "expected ':' after 'lambda \(name)' (started at column \(column(lambdaOffset))), found \(token.description)",
                at: token.offset
            )
        }
    }

    /// `test`, counting one level of nesting; `openedAt` is the offset of the bracket that opened it.
    private mutating func parseTest(openedAt: Int? = nil) throws(ExpressionError) -> ExprNode {
        try enter(at: openedAt ?? token.offset)
        defer { depth -= 1 }
        return try parseTestBody()
    }

    private mutating func parseTestBody() throws(ExpressionError) -> ExprNode {
        let body = try parseOr()
        guard isKeyword(.if) else { return body }
        let ifOffset = token.offset
        try advance()
        let test = try parseOr()
        guard isKeyword(.else) else {
            throw error(
                "expected 'else' to complete the conditional expression ('if' at column \(column(ifOffset))), found \(token.description)",
                at: token.offset
            )
        }
        try advance()
        let orElse = try parseTest()
        return try makeNode(.conditional(test: test, body: body, orElse: orElse), at: ifOffset)
    }

    private mutating func parseOr() throws(ExpressionError) -> ExprNode {
        var left = try parseAnd()
        while isKeyword(.or) {
            let offset = token.offset
            try advance()
            let right = try parseAnd()
            left = try makeNode(.or(left, right), at: offset)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> ExprNode {
        var left = try parseNot()
        while isKeyword(.and) {
            let offset = token.offset
            try advance()
            let right = try parseNot()
            left = try makeNode(.and(left, right), at: offset)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> ExprNode {
        guard isKeyword(.not) else { return try parseComparison() }
        let offset = token.offset
        try enter(at: offset)
        defer { depth -= 1 }
        try advance()
        let operand = try parseNot()
        return try makeNode(.not(operand), at: offset)
    }

    private mutating func parseComparison() throws(ExpressionError) -> ExprNode {
        let first = try parseArith()
        var rest: [(ExprComparison, ExprNode, Int)] = []
        var firstOffset = 0
        while true {
            if case .symbol(let symbol) = token.kind, let comparison = ExprComparison(symbol) {
                let offset = token.offset
                if rest.isEmpty { firstOffset = offset }
                try countNode(at: offset)
                try advance()
                let operand = try parseArith()
                rest.append((comparison, operand, column(offset)))
            } else if isKeyword(.not) {
                // After an operand, `not` can only begin Python's `not in`.
                throw error("unexpected 'not' after an operand ('not in' is not supported)", at: token.offset)
            } else {
                break
            }
        }
        if rest.isEmpty { return first }
        return ExprNode(kind: .compare(first, rest), column: column(firstOffset))
    }

    private mutating func parseArith() throws(ExpressionError) -> ExprNode {
        var left = try parseTerm()
        while case .symbol(let symbol) = token.kind, symbol == .plus || symbol == .minus {
            let offset = token.offset
            try advance()
            let right = try parseTerm()
            left = try makeNode(.binary(symbol == .plus ? .add : .subtract, left, right), at: offset)
        }
        return left
    }

    private mutating func parseTerm() throws(ExpressionError) -> ExprNode {
        var left = try parseFactor()
        while case .symbol(let symbol) = token.kind {
            let op: ExprBinaryOperator
            switch symbol {
            case .star: op = .multiply
            case .slash: op = .trueDivide
            case .doubleSlash: op = .floorDivide
            case .percent: op = .modulo
            default: return left
            }
            let offset = token.offset
            try advance()
            let right = try parseFactor()
            left = try makeNode(.binary(op, left, right), at: offset)
        }
        return left
    }

    private mutating func parseFactor() throws(ExpressionError) -> ExprNode {
        guard case .symbol(let symbol) = token.kind, symbol == .plus || symbol == .minus else {
            return try parsePower()
        }
        let offset = token.offset
        try enter(at: offset)
        defer { depth -= 1 }
        try advance()
        let operand = try parseFactor()
        return try makeNode(symbol == .minus ? .negate(operand) : .positive(operand), at: offset)
    }

    private mutating func parsePower() throws(ExpressionError) -> ExprNode {
        let base = try parseAtom()
        guard isSymbol(.doubleStar) else { return base }
        let offset = token.offset
        try enter(at: offset)
        defer { depth -= 1 }
        try advance()
        let exponent = try parseFactor()
        return try makeNode(.binary(.power, base, exponent), at: offset)
    }

    private mutating func parseAtom() throws(ExpressionError) -> ExprNode {
        let offset = token.offset
        let node: ExprNode
        switch token.kind {
        case .integer(let value):
            try advance()
            node = try makeNode(.constant(.int(value)), at: offset)
        case .float(let value):
            try advance()
            node = try makeNode(.constant(.float(value)), at: offset)
        case .keyword(.true), .keyword(.false):
            let value = isKeyword(.true) ? 1 : 0
            try advance()
            node = try makeNode(.constant(.int(value)), at: offset)
        case .symbol(.leftParen):
            try advance()
            if isSymbol(.rightParen) {
                throw error(
                    "empty tuple '()' is not supported: expected an expression",
                    at: token.offset,
                    kind: .unsupported
                )
            }
            node = try parseTest(openedAt: offset)
            if isSymbol(.comma) {
                throw error(
                    "tuples are not supported: expected ')' to close '(' at column \(column(offset))",
                    at: token.offset,
                    kind: .unsupported
                )
            }
            guard isSymbol(.rightParen) else {
                throw error(
                    "expected ')' to close '(' at column \(column(offset)), found \(token.description)",
                    at: token.offset
                )
            }
            try advance()
        case .name(let name):
            try advance()
            node = try parseName(name, at: offset)
        case .keyword(.lambda):
            throw error("'lambda' is only allowed at the start of the expression", at: offset)
        default:
            throw expectedExpression()
        }
        // Trailers after a value: calls and attribute access are not defined on numbers.
        if isSymbol(.leftParen) {
            throw error("a number is not callable", at: token.offset, kind: .type)
        }
        if isSymbol(.dot) {
            throw error("attribute access is only supported on the 'math' module", at: token.offset, kind: .unsupported)
        }
        return node
    }

    private mutating func parseName(_ name: String, at offset: Int) throws(ExpressionError) -> ExprNode {
        if name == variableName {
            return try makeNode(.variable, at: offset)
        }
        if name == "math" {
            guard isSymbol(.dot) else {
                throw error(
                    "'math' is a module: use a function or constant such as math.cos or math.pi",
                    at: offset,
                    kind: .type
                )
            }
            try advance()
            guard case .name(let attribute) = token.kind else {
                throw error("expected a name after 'math.', found \(token.description)", at: token.offset)
            }
            let attributeOffset = token.offset
            try advance()
            if let function = Self.mathFunctions[attribute] {
                return try parseCall(function, displayName: "math.\(attribute)", at: offset)
            }
            if let value = Self.constants[attribute] {
                return try makeNode(.constant(.float(value)), at: offset)
            }
            if Self.otherMathAttributes.contains(attribute) {
                throw error("'math.\(attribute)' is not supported", at: attributeOffset, kind: .unsupported)
            }
            throw error("module 'math' has no attribute '\(attribute)'", at: attributeOffset, kind: .name)
        }
        if let function = Self.builtinFunctions[name] {
            return try parseCall(function, displayName: name, at: offset)
        }
        if let value = Self.constants[name] {
            return try makeNode(.constant(.float(value)), at: offset)
        }
        if exprReservedWords.contains(name) {
            throw reservedWordError(name, at: offset)
        }
        if Self.otherBuiltins.contains(name) {
            throw error("function '\(name)' is not supported", at: offset, kind: .unsupported)
        }
        throw error("name '\(name)' is not defined (the variable is '\(variableName)')", at: offset, kind: .name)
    }

    private mutating func parseCall(
        _ function: ExprFunction,
        displayName: String,
        at offset: Int
    ) throws(ExpressionError) -> ExprNode {
        guard isSymbol(.leftParen) else {
            throw error("function '\(displayName)' must be called, e.g. \(displayName)(x)", at: offset, kind: .type)
        }
        let openOffset = token.offset
        try countNode(at: offset)
        try advance()
        var arguments: [ExprNode] = []
        while !isSymbol(.rightParen) {
            if case .name = token.kind, try peekToken().kind == .symbol(.assign) {
                throw error("keyword arguments are not supported", at: token.offset, kind: .type)
            }
            arguments.append(try parseTest(openedAt: openOffset))
            if isSymbol(.comma) {
                try advance()
            } else if !isSymbol(.rightParen) {
                throw error(
                    "expected ',' or ')' to close '\(displayName)(' at column \(column(openOffset)), found \(token.description)",
                    at: token.offset
                )
            }
        }
        try advance()
        guard function.accepts(argumentCount: arguments.count) else {
            let given = arguments.count
            // round(x, ndigits) is valid Python that the language does not implement.
            throw error(
                "\(displayName)() takes \(function.arityDescription) (\(given) given)",
                at: offset,
                kind: function == .round && given == 2 ? .unsupported : .type
            )
        }
        return ExprNode(kind: .call(function, arguments), column: column(offset))
    }
}
