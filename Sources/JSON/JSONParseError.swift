/// Why and where JSON text was rejected.
///
/// `offset` is a 0-based byte offset into the UTF-8 input. `line` is 1-based and counts
/// line feeds (`\n`) before `offset`. `column` is 1-based and counted in **bytes** from the
/// start of that line, so a multi-byte character before the error advances it by more
/// than one.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, e.g. `expected ',' or '}' after object member`.
    public var message: String
    /// 0-based byte offset of the offending byte (the input length for unexpected end).
    public var offset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in bytes of that line.
    public var column: Int

    /// Creates an error from its parts.
    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `"<message> at line L, column C (byte offset O)"`.
    public var description: String {
        "\(message) at line \(line), column \(column) (byte offset \(offset))"
    }
}
