import Schedules
import Synchronization

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
    /// The run was cancelled (the server is stopping) after `epoch` epochs.
    case cancelled(epoch: Int)
}

/// Lets another thread stop a training run between two optimizer steps.
public final class TrainingCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A cancellation that has not been requested.
    public init() {}

    /// Asks the run to stop at its next optimizer step.
    public func cancel() { flag.store(true, ordering: .releasing) }

    /// Whether `cancel()` has been called.
    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Thrown inside the loop when the run sees the cancellation.
    struct Cancelled: Error {}
}
