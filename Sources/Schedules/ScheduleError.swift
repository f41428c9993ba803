import JSON

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

/// Why a schedule could not be built or evaluated.
public enum ScheduleError: Error, Sendable, Equatable {
    /// The spec is well-formed JSON but not a valid schedule: one issue per offending field.
    case invalidSpec([FieldIssue])
    /// The schedule was valid but evaluating it failed at `epoch` (the framework would raise there,
    /// or the learning rate stopped being a finite number).
    case evaluationFailed(FieldIssue, epoch: Int)
}
