import Schedules

/// Why a network, batch or training run was rejected.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layers do not form a network (no layers, mismatched sizes or parameter counts).
    case invalidNetwork(String)
    /// A batch does not fit the network or the loss (shapes, class indices, target kind).
    case invalidBatch(String)
    /// `batches(epoch)` returned no batches, so the epoch has no training loss.
    case emptyEpoch(epoch: Int)
    /// Something other than the schedule or the data stopped the loop (a defect, never user input).
    case unexpected(String)

    /// The problem in words.
    public var description: String {
        switch self {
        case .invalidNetwork(let problem): "the network is invalid: \(problem)"
        case .invalidBatch(let problem): "a batch does not fit the network: \(problem)"
        case .emptyEpoch(let epoch): "epoch \(epoch) has no batches"
        case .unexpected(let what): "the training loop stopped on an unexpected \(what)"
        }
    }
}

/// Why an accepted training run failed.
public enum TrainingRunError: Error, Sendable, Equatable {
    /// The schedule raised where the framework would, or its learning rate stopped being finite.
    case schedule(ScheduleError)
    /// The training loop stopped at `epoch`.
    case training(TrainingError, epoch: Int)
}
