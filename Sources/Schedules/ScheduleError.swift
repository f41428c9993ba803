import JSON

/// Why a schedule could not be built or evaluated.
public enum ScheduleError: Error, Sendable, Equatable {
    /// The spec is well-formed JSON but not a valid schedule: one issue per offending field.
    case invalidSpec([FieldIssue])
    /// The schedule was valid but evaluating it failed at `epoch` (the framework would raise there,
    /// or the learning rate stopped being a finite number).
    case evaluationFailed(FieldIssue, epoch: Int)
}
