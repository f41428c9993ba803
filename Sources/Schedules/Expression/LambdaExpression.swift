/// A compiled `lr_lambda` expression in one integer variable.
///
/// The source is a Python expression in `epoch` (or in `NAME` after an optional leading
/// `lambda NAME:`), evaluated with CPython's semantics and IEEE arithmetic bit for bit.
/// Ints are limited to 64 bits: results that would need a bigger int are refused.
public struct LambdaExpression: Sendable {
    /// The source text as given.
    public let source: String
    /// The name of the variable: `epoch`, or the parameter of a leading `lambda`.
    public let variableName: String
    private let program: ExprProgram

    /// Parses and compiles `source`; throws a syntax, name, type or size error with its column.
    public init(parsing source: String) throws(ExpressionError) {
        let length = source.count
        if length > ExprParser.maxLength {
            throw ExpressionError(
                message: "expression is too long (\(length) characters; the limit is \(ExprParser.maxLength))",
                column: ExprParser.maxLength + 1
            )
        }
        var parser = try ExprParser(source: source)
        let root = try parser.parseSource()
        self.source = source
        self.variableName = parser.variableName
        self.program = ExprProgram.compile(root)
    }

    /// Evaluates the expression with the variable bound to `epoch`.
    ///
    /// Throws Python's runtime errors (ZeroDivisionError, ValueError for math domain errors,
    /// OverflowError) and refusals (int results outside 64 bits, complex results) with the
    /// column of the operator or call that raised them.
    public func evaluate(_ epoch: Int) throws(ExpressionError) -> PythonNumber {
        do {
            return try program.code.withUnsafeBufferPointer { (code) throws(ExprRuntimeFault) -> PythonNumber in
                try withUnsafeTemporaryAllocation(of: PythonNumber.self, capacity: program.maxStack) {
                    (stack) throws(ExprRuntimeFault) -> PythonNumber in
                    try ExprProgram.run(code, stack: stack.baseAddress.unsafelyUnwrapped, variable: epoch)
                }
            }
        } catch {
            throw error.expressionError
        }
    }
}
