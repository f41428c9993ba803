/// Drives the learning rate: the training loop reads `lr` (and `momentum`) before every
/// optimizer step.
public protocol LearningRateController {
    /// The learning rate for the next optimizer step.
    var lr: Double { get }
    /// The momentum for the next optimizer step when a cycling scheduler sets it (`momentum` for
    /// SGD and RMSprop, `betas[0]` for Adam and AdamW); nil keeps the optimizer's own.
    var momentum: Double? { get }
    /// Called after every optimizer step: a per-batch `scheduler.step()`, or nothing.
    mutating func afterOptimizerStep() throws
    /// Called after every completed epoch: a per-epoch `scheduler.step()`, or
    /// `ReduceLROnPlateau.step(metric)`, or nothing.
    mutating func afterEpoch(trainLoss: Double, validationLoss: Double?) throws
}

extension LearningRateController {
    /// No scheduler-driven momentum: the optimizer keeps its configured one.
    public var momentum: Double? { nil }
}

/// A learning rate that never changes.
public struct ConstantLearningRate: LearningRateController, Sendable {
    /// The learning rate of every step.
    public var lr: Double

    /// A controller that always answers `lr`.
    public init(_ lr: Double) { self.lr = lr }

    /// Does nothing.
    public mutating func afterOptimizerStep() {}

    /// Does nothing.
    public mutating func afterEpoch(trainLoss: Double, validationLoss: Double?) {}
}

/// What a training run produced, one entry per completed epoch unless stated otherwise.
public struct TrainingResult: Sendable, Equatable {
    /// The LR in effect at the first step of each completed epoch.
    public var lrs: [Double]
    /// The LR of every optimizer step of the completed epochs.
    public var stepLRs: [Double]
    /// Mean of each epoch's batch losses (left-to-right sum divided by the batch count).
    public var trainLoss: [Double]
    /// Loss on the validation batch after each epoch; nil without validation data.
    public var validationLoss: [Double]?
    /// Optimizer steps taken, including those of an epoch that then diverged (so it can exceed
    /// `stepLRs.count`).
    public var steps: Int
    /// The first epoch (0-based) whose training or validation loss was not finite. Training stopped
    /// there, and none of that epoch's values are in `lrs`, `stepLRs`, `trainLoss` or `validationLoss`.
    public var divergedAt: Int?

    /// A result with the given fields.
    public init(
        lrs: [Double],
        stepLRs: [Double],
        trainLoss: [Double],
        validationLoss: [Double]?,
        steps: Int,
        divergedAt: Int?
    ) {
        self.lrs = lrs
        self.stepLRs = stepLRs
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.steps = steps
        self.divergedAt = divergedAt
    }
}

/// Trains `network` in place for `epochs` epochs.
///
/// Each epoch takes its batches, in order, from `batches(epoch)` (epochs count from 0). For each
/// batch: forward and backward pass; if the loss is not finite the run stops (no step is taken);
/// otherwise the optimizer steps at `controller.lr` (and `controller.momentum`, when set), then
/// `controller.afterOptimizerStep()` runs.
/// After the last batch the epoch's training loss is the plain mean of its batch losses; the
/// validation loss (when `validation` is given) is evaluated with the updated parameters; if either
/// is not finite the run stops; otherwise both are recorded and `controller.afterEpoch` runs.
///
/// A stopped run reports the epoch in `divergedAt`, and `network` keeps the parameters it had when
/// the run stopped. Errors from `batches` and from the controller propagate; an epoch without
/// batches throws `TrainingError.emptyEpoch`. Every batch must pass `network.validate(_:loss:)`.
public func train(
    _ network: inout Network,
    loss: Loss,
    optimizer: OptimizerConfig,
    epochs: Int,
    batches: (Int) throws -> [Batch],
    validation: Batch?,
    controller: inout some LearningRateController
) throws -> TrainingResult {
    var optimizer = Optimizer(optimizer, for: network)
    var result = TrainingResult(
        lrs: [],
        stepLRs: [],
        trainLoss: [],
        validationLoss: validation == nil ? nil : [],
        steps: 0,
        divergedAt: nil
    )
    var gradients = network.layers.map { $0.zeroed() }
    for epoch in 0..<max(epochs, 0) {
        let epochBatches = try batches(epoch)
        guard !epochBatches.isEmpty else { throw TrainingError.emptyEpoch(epoch: epoch) }
        let epochLR = controller.lr
        var epochStepLRs: [Double] = []
        epochStepLRs.reserveCapacity(epochBatches.count)
        var lossSum = 0.0
        for batch in epochBatches {
            if let problem = network.problem(with: batch, loss: loss) { preconditionFailure(problem) }
            let batchLoss = backpropagate(network, batch, loss, into: &gradients)
            guard batchLoss.isFinite else {
                result.divergedAt = epoch
                return result
            }
            lossSum += batchLoss
            let lr = controller.lr
            optimizer.step(&network, gradients: gradients, lr: lr, momentum: controller.momentum)
            epochStepLRs.append(lr)
            result.steps += 1
            try controller.afterOptimizerStep()
        }
        let trainLoss = lossSum / Double(epochBatches.count)
        var validationLoss: Double? = nil
        if let validation {
            validationLoss = evaluateLoss(network, validation, loss)
        }
        guard trainLoss.isFinite, validationLoss?.isFinite ?? true else {
            result.divergedAt = epoch
            return result
        }
        result.lrs.append(epochLR)
        result.stepLRs.append(contentsOf: epochStepLRs)
        result.trainLoss.append(trainLoss)
        if let validationLoss { result.validationLoss?.append(validationLoss) }
        try controller.afterEpoch(trainLoss: trainLoss, validationLoss: validationLoss)
    }
    return result
}
