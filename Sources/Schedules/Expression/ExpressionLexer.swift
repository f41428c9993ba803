/// Python keywords that the expression language gives a meaning to.
enum ExprKeyword: String, Sendable {
    case and, or, not, `if`, `else`, lambda
    case `true` = "True"
    case `false` = "False"
}

/// Operators and punctuation.
enum ExprSymbol: String, Sendable {
    case plus = "+"
    case minus = "-"
    case star = "*"
    case slash = "/"
    case doubleSlash = "//"
    case percent = "%"
    case doubleStar = "**"
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case equal = "=="
    case notEqual = "!="
    case leftParen = "("
    case rightParen = ")"
    case comma = ","
    case dot = "."
    case colon = ":"
    case assign = "="
}

/// One token; `offset` indexes the source's Unicode scalars.
struct ExprToken: Sendable {
    enum Kind: Sendable, Equatable {
        case integer(Int)
        case float(Double)
        case name(String)
        case keyword(ExprKeyword)
        case symbol(ExprSymbol)
        case newline
        case end
    }

    var kind: Kind
    var offset: Int

    /// How the token reads in an error message.
    var description: String {
        switch kind {
        case .integer(let value): return "number \(value)"
        case .float: return "a number"
        case .name(let name): return "name '\(name)'"
        case .keyword(let keyword): return "'\(keyword.rawValue)'"
        case .symbol(let symbol): return "'\(symbol.rawValue)'"
        case .newline: return "a line break (line breaks are only allowed inside parentheses)"
        case .end: return "end of expression"
        }
    }
}

/// Python identifiers that are reserved words the language does not support.
let exprReservedWords: Set<String> = [
    "None", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "except", "finally", "for", "from", "global", "import", "in", "is", "nonlocal", "pass", "raise",
    "return", "try", "while", "with", "yield",
]

/// Splits the source into Python tokens on demand, following CPython's tokenizer rules
/// for numbers, whitespace, comments, line continuations and implicit line joining.
struct ExprLexer {
    let scalars: [Unicode.Scalar]
    /// Character column (1-based) of each scalar offset, plus one entry for the end.
    let columns: [Int]
    private var position = 0
    private var parenDepth = 0

    init(source: String) {
        var scalars: [Unicode.Scalar] = []
        var columns: [Int] = []
        var column = 1
        for character in source {
            for scalar in character.unicodeScalars {
                scalars.append(scalar)
                columns.append(column)
            }
            column += 1
        }
        columns.append(column)
        self.scalars = scalars
        self.columns = columns
    }

    func column(ofOffset offset: Int) -> Int {
        columns[min(max(offset, 0), columns.count - 1)]
    }

    private func error(_ message: String, at offset: Int, kind: ExpressionError.Kind = .syntax) -> ExpressionError {
        ExpressionError(message: message, column: column(ofOffset: offset), kind: kind)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < scalars.count ? scalars[index] : nil
    }

    private static func isDigit(_ s: Unicode.Scalar?) -> Bool {
        guard let s else { return false }
        return s.value >= 0x30 && s.value <= 0x39
    }

    private static func isIdentifierStart(_ s: Unicode.Scalar?) -> Bool {
        guard let s else { return false }
        if s.isASCII {
            let v = s.value
            return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        return s.properties.isXIDStart
    }

    private static func isIdentifierContinue(_ s: Unicode.Scalar?) -> Bool {
        guard let s else { return false }
        if s.isASCII { return isIdentifierStart(s) || isDigit(s) }
        return s.properties.isXIDContinue
    }

    /// Returns the next token, skipping whitespace, comments, continuations and
    /// line breaks inside parentheses.
    mutating func next() throws(ExpressionError) -> ExprToken {
        while let s = peek() {
            switch s {
            case " ", "\t", "\u{0C}":
                position += 1
            case "#":
                while let c = peek(), c != "\n", c != "\r" { position += 1 }
            case "\\":
                let start = position
                position += 1
                if peek() == "\r" {
                    position += 1
                    if peek() == "\n" { position += 1 }
                } else if peek() == "\n" {
                    position += 1
                } else if peek() == nil {
                    throw error("unexpected end of expression after line continuation character '\\'", at: start)
                } else {
                    throw error("unexpected character after line continuation character '\\'", at: start)
                }
            case "\n", "\r":
                let start = position
                position += 1
                if s == "\r" && peek() == "\n" { position += 1 }
                if parenDepth == 0 { return ExprToken(kind: .newline, offset: start) }
            default:
                return try lexToken()
            }
        }
        return ExprToken(kind: .end, offset: scalars.count)
    }

    private mutating func lexToken() throws(ExpressionError) -> ExprToken {
        let start = position
        let s = scalars[position]
        if Self.isDigit(s) || (s == "." && Self.isDigit(peek(1))) {
            return try lexNumber()
        }
        if Self.isIdentifierStart(s) {
            var name = String.UnicodeScalarView()
            while Self.isIdentifierContinue(peek()) {
                name.append(scalars[position])
                position += 1
            }
            let text = String(name)
            if let keyword = ExprKeyword(rawValue: text) {
                return ExprToken(kind: .keyword(keyword), offset: start)
            }
            return ExprToken(kind: .name(text), offset: start)
        }
        position += 1
        let next = peek()
        func symbol(_ symbol: ExprSymbol, length: Int = 1) -> ExprToken {
            position = start + length
            return ExprToken(kind: .symbol(symbol), offset: start)
        }
        switch s {
        case "+": return symbol(.plus)
        case "-": return symbol(.minus)
        case "*": return next == "*" ? symbol(.doubleStar, length: 2) : symbol(.star)
        case "/": return next == "/" ? symbol(.doubleSlash, length: 2) : symbol(.slash)
        case "%": return symbol(.percent)
        case "<":
            if next == "=" { return symbol(.lessEqual, length: 2) }
            if next == "<" { throw error("bitwise operator '<<' is not supported", at: start, kind: .unsupported) }
            if next == ">" { throw error("'<>' is not a Python 3 operator; use '!='", at: start) }
            return symbol(.less)
        case ">":
            if next == "=" { return symbol(.greaterEqual, length: 2) }
            if next == ">" { throw error("bitwise operator '>>' is not supported", at: start, kind: .unsupported) }
            return symbol(.greater)
        case "=": return next == "=" ? symbol(.equal, length: 2) : symbol(.assign)
        case "!":
            if next == "=" { return symbol(.notEqual, length: 2) }
            throw error("invalid syntax: '!' (use 'not' for logical negation)", at: start)
        case "(":
            parenDepth += 1
            return symbol(.leftParen)
        case ")":
            if parenDepth > 0 { parenDepth -= 1 }
            return symbol(.rightParen)
        case ",": return symbol(.comma)
        case ".": return symbol(.dot)
        case ":":
            if next == "=" {
                throw error("assignment expressions (':=') are not supported", at: start, kind: .unsupported)
            }
            return symbol(.colon)
        case "~", "&", "|", "^":
            throw error("bitwise operator '\(s)' is not supported", at: start, kind: .unsupported)
        case "@":
            throw error("matrix multiplication ('@') is not supported", at: start, kind: .unsupported)
        case "[", "]":
            throw error("lists and indexing ('\(s)') are not supported", at: start, kind: .unsupported)
        case "{", "}":
            throw error("dicts and sets ('\(s)') are not supported", at: start, kind: .unsupported)
        case "\"", "'":
            throw error("strings are not supported", at: start, kind: .unsupported)
        case ";":
            throw error("invalid syntax: ';' (only a single expression is allowed)", at: start)
        default:
            let hex = String(s.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            if s.properties.generalCategory == .control || s.properties.isWhitespace {
                throw error("invalid non-printable character U+\(padded)", at: start)
            }
            throw error("invalid character '\(s)' (U+\(padded))", at: start)
        }
    }

    /// Consumes `digit (_? digit)*` for the given digit predicate; returns false if an
    /// underscore is not followed by a digit.
    private mutating func consumeDigits(_ isValid: (Unicode.Scalar) -> Bool) -> Bool {
        while let c = peek() {
            if isValid(c) {
                position += 1
            } else if c == "_" {
                guard let d = peek(1), isValid(d) else { return false }
                position += 2
            } else {
                break
            }
        }
        return true
    }

    private func text(from start: Int, to end: Int) -> String {
        var view = String.UnicodeScalarView()
        for s in scalars[start..<end] where s != "_" { view.append(s) }
        return String(view)
    }

    private mutating func lexNumber() throws(ExpressionError) -> ExprToken {
        let start = position
        let first = scalars[position]
        if first == "0", let prefix = peek(1), "xXoObB".unicodeScalars.contains(prefix) {
            return try lexRadixInteger(prefix: prefix)
        }
        var isFloat = false
        if first != "." {
            guard consumeDigits({ Self.isDigit($0) }) else {
                throw error("invalid decimal literal", at: start)
            }
        }
        if peek() == "." {
            isFloat = true
            position += 1
            if Self.isDigit(peek()) {
                guard consumeDigits({ Self.isDigit($0) }) else {
                    throw error("invalid decimal literal", at: start)
                }
            }
        }
        if peek() == "e" || peek() == "E" {
            let save = position
            position += 1
            if peek() == "+" || peek() == "-" { position += 1 }
            if Self.isDigit(peek()) {
                guard consumeDigits({ Self.isDigit($0) }) else {
                    throw error("invalid decimal literal", at: start)
                }
                isFloat = true
            } else {
                position = save
                throw error("invalid decimal literal", at: start)
            }
        }
        if peek() == "j" || peek() == "J" {
            throw error("complex literals are not supported", at: start, kind: .unsupported)
        }
        if Self.isIdentifierContinue(peek()) {
            throw error("invalid decimal literal", at: start)
        }
        let literal = text(from: start, to: position)
        if isFloat {
            guard let value = Double(literal) else {
                throw error("invalid decimal literal", at: start)
            }
            return ExprToken(kind: .float(value), offset: start)
        }
        if literal.count > 1 && literal.hasPrefix("0") && literal.unicodeScalars.contains(where: { $0 != "0" }) {
            throw error(
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                at: start
            )
        }
        guard let value = Int(literal) else {
            throw error("integer literal too large (only 64-bit ints are supported)", at: start, kind: .unsupported)
        }
        return ExprToken(kind: .integer(value), offset: start)
    }

    private mutating func lexRadixInteger(prefix: Unicode.Scalar) throws(ExpressionError) -> ExprToken {
        let start = position
        let (radix, name): (Int, String) =
            switch prefix {
            case "x", "X": (16, "hexadecimal")
            case "o", "O": (8, "octal")
            default: (2, "binary")
            }
        position += 2
        let isValid: (Unicode.Scalar) -> Bool = { s in
            guard s.isASCII, let digit = Int(String(s), radix: 16) else { return false }
            return digit < radix
        }
        if peek() == "_" { position += 1 }
        if let first = peek(), !isValid(first), Self.isDigit(first) {
            throw error("invalid digit '\(first)' in \(name) literal", at: position)
        }
        guard let first = peek(), isValid(first), consumeDigits(isValid) else {
            throw error("invalid \(name) literal", at: start)
        }
        if let c = peek(), Self.isIdentifierContinue(c) {
            if Self.isDigit(c) || (radix == 16 && c.isASCII && Int(String(c), radix: 16) != nil) {
                throw error("invalid digit '\(c)' in \(name) literal", at: position)
            }
            throw error("invalid \(name) literal", at: start)
        }
        let digits = text(from: start + 2, to: position)
        guard let value = Int(digits, radix: radix) else {
            throw error("integer literal too large (only 64-bit ints are supported)", at: start, kind: .unsupported)
        }
        return ExprToken(kind: .integer(value), offset: start)
    }
}
