/// Why a network, batch or training run was rejected.
public enum TrainingError: Error, Sendable, Equatable {
    /// The layers do not form a network (no layers, mismatched sizes or parameter counts).
    case invalidNetwork(String)
    /// A batch does not fit the network or the loss (shapes, class indices, target kind).
    case invalidBatch(String)
    /// `batches(epoch)` returned no batches, so the epoch has no training loss.
    case emptyEpoch(epoch: Int)
}
