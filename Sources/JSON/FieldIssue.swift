/// One problem with one field of a request, located by an RFC 6901 JSON Pointer.
public struct FieldIssue: Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is, e.g. `/params/step_size`.
    public var pointer: JSONPointer
    /// What is wrong, naming the value received, e.g. `must be a positive integer, got 0`.
    public var detail: String

    /// Creates an issue for the field at `pointer`.
    public init(_ pointer: JSONPointer, _ detail: String) {
        self.pointer = pointer
        self.detail = detail
    }

    public var description: String { "\(pointer): \(detail)" }
}
