import JSON
import Schedules

/// Limits that keep a training job short: its size is checked before it runs.
public struct TrainingLimits: Sendable {
    /// The most work a job may ask for, in units of about 0.5 ns of one core here:
    /// `epochs × (samples × (parameters + sampleOverhead) + steps × (stepCost × parameters +
    /// stepOverhead + scheduler cost))`, counting training and validation samples.
    public var maxWork: Int
    /// The most epochs a job may ask for.
    public var maxEpochs: Int = 100_000
    /// The widest layer (features) a model may have.
    public var maxFeatures: Int = 4096
    /// The most hidden layers an MLP may have.
    public var maxHiddenLayers: Int = 8
    /// The most samples a data set may hold (inline or synthetic).
    public var maxSamples: Int = 100_000
    /// The most parameters a model may have (memory: parameters, gradients and optimizer state).
    public var maxParameters: Int = 1_000_000
    /// The most numbers a data set may hold: samples × (in_features + out_features).
    public var maxDataValues: Int = 4_000_000

    /// The default limits; `maxWork` is sized so the largest accepted job takes about 2 s on one core.
    public init(maxWork: Int = TrainingLimits.defaultMaxWork) {
        self.maxWork = maxWork
    }

    /// How long `work` units take, roughly (a unit is about 0.5 ns of one core here), in words:
    /// `2 s`, `0.2 s`, `3 min`.
    public static func approximateSeconds(_ work: Int) -> String {
        let tenths = work / 200_000_000
        if tenths >= 1200 { return "\(tenths / 600) min" }
        if tenths >= 100 { return "\(tenths / 10) s" }
        if tenths >= 1 { return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s" }
        return "under 0.1 s"
    }

    /// The default work budget: about 2 s of training on one core here.
    public static let defaultMaxWork = 3_500_000_000
    /// What one optimizer step costs per parameter, in units (an Adam update of a parameter
    /// costs about as much as 13 samples' forward and backward passes through it).
    public static let stepCost = 13
    /// The fixed cost of one sample, in units (copying, loss, bookkeeping).
    public static let sampleOverhead = 140
    /// The fixed cost of one optimizer step, in units (allocation of gradients, bookkeeping).
    public static let stepOverhead = 1_200
    /// The cost of one scheduler step per unit of `SchedulerSpec.costPerEpoch`.
    public static let schedulerStepCost = 50
    /// The cost of one layer for one sample, in units (the per-row work of small matrices).
    public static let layerSampleCost = 90
    /// The cost of one layer for one optimizer step, in units (its buffers and bookkeeping).
    public static let layerStepCost = 800

    /// What one hidden unit's activation costs for one sample, forward and backward, in units:
    /// measured with `scripts/training_sweep.py` (narrow, deep, full-batch networks are dominated
    /// by it, not by their parameters).
    public static func unitCost(_ activation: Activation) -> Int {
        switch activation {
        case .relu: 4
        case .tanh: 40
        case .sigmoid: 60
        case .gelu: 60
        }
    }

    /// The work of `epochs` epochs of `samples` samples and `steps` optimizer steps each, for a
    /// model of `parameters` parameters and a schedule costing `scheduleCost` per step; nil on
    /// overflow.
    public static func work(
        epochs: Int,
        samples: Int,
        steps: Int,
        parameters: Int,
        scheduleCost: Int,
        units: Int = 0,
        unitCost: Int = 0,
        layers: Int = 1
    ) -> Int? {
        // Sizes are bounded by decoding (at most 4,096 wide, 8 hidden layers), so these
        // per-sample and per-step terms cannot overflow.
        let perSample = parameters.addingReportingOverflow(
            sampleOverhead + units * unitCost + layers * layerSampleCost
        )
        let perStep = (stepCost.multipliedReportingOverflow(by: parameters).partialValue)
            .addingReportingOverflow(stepOverhead + schedulerStepCost * scheduleCost + layers * layerStepCost)
        let a = samples.multipliedReportingOverflow(by: perSample.partialValue)
        let b = steps.multipliedReportingOverflow(by: perStep.partialValue)
        let perEpoch = a.partialValue.addingReportingOverflow(b.partialValue)
        let total = perEpoch.partialValue.multipliedReportingOverflow(by: epochs)
        if perSample.overflow || perStep.overflow || a.overflow || b.overflow || perEpoch.overflow || total.overflow {
            return nil
        }
        return total.partialValue
    }
}

/// Which value ReduceLROnPlateau is stepped with after each epoch.
public enum Monitor: String, CaseIterable, Sendable {
    case valLoss = "val_loss"
    case trainLoss = "train_loss"
}

/// When the scheduler steps: after each epoch, or after each optimizer step.
public enum SchedulerInterval: String, CaseIterable, Sendable { case epoch, step }

/// Where the training data comes from.
public enum DataSpec: Sendable {
    /// A seeded synthetic task: regression against a random teacher, or Gaussian blobs.
    case synthetic(SyntheticData)
    /// Fresh N(0, 1) inputs and targets drawn for every step (nothing to learn).
    case random(stepsPerEpoch: Int, seed: UInt64)
    /// Data given in the request.
    case inline(train: Batch, validation: Batch?)
}

/// Parameters of a synthetic data set.
public struct SyntheticData: Sendable {
    /// The kind of synthetic task.
    public enum Task: String, CaseIterable, Sendable { case regression, classification }
    /// The teacher network of a regression task.
    public enum Teacher: String, CaseIterable, Sendable { case linear, mlp }
    public var task: Task
    public var teacher: Teacher
    public var classes: Int
    public var trainSize: Int
    public var valSize: Int
    public var noise: Double
    public var seed: UInt64
}

/// The model of a job: layer sizes, activation, bias, and optional explicit initial weights.
public struct ModelSpec: Sendable {
    public var sizes: [Int]
    public var activation: Activation
    public var bias: Bool
    public var initialLayers: [Layer]?

    /// Parameters of the network.
    public var parameterCount: Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + (bias ? $1.1 : 0) }
    }
}

/// A validated `POST /v1/training-runs` request.
public struct TrainingRequest: Sendable {
    public var model: ModelSpec
    public var data: DataSpec
    public var loss: Loss
    public var optimizer: OptimizerConfig
    public var scheduler: SchedulerSpec?
    public var interval: SchedulerInterval
    public var monitor: Monitor
    public var epochs: Int
    /// Rows per batch; nil means the whole training set in one batch.
    public var batchSize: Int?
    public var shuffle: Bool
    public var seed: UInt64

    /// The optimizer's learning rate (the schedule's base LR).
    public var baseLR: Double {
        switch optimizer {
        case .sgd(let o): o.lr
        case .adam(let o), .adamW(let o): o.lr
        case .rmsprop(let o): o.lr
        }
    }
}
