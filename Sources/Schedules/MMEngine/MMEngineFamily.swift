import Foundation
import JSON

/// MMEngine's LR parameter schedulers (`mmengine.optim.scheduler`), the `param_scheduler`
/// entries of an OpenMMLab config (MMDetection, MMPretrain, MMSegmentation, xtuner).
///
/// Every scheduler is chainable: `step()` counts a global step and, inside its window
/// `begin <= step < end`, multiplies or rewrites the optimizer's current LR, so schedulers
/// whose windows overlap compose in list order. The constructor takes the first step itself
/// (`ReduceOnPlateauLR` excepted). Alone, value k is the LR after construction and `start + k`
/// further steps; under the Runner (the `mmengine` trainer), after each iteration or epoch.
enum MMEngine {
    /// The family and its schedulers.
    static let family = Family(
        name: "mmengine",
        title: "MMEngine mmengine.optim.scheduler",
        version: "0.10.7",
        stepping:
            "value k is the LR after construction (which steps once) and start + k calls of step() (step({monitor: metrics[i]}) for ReduceOnPlateauLR, whose constructor does not step)",
        unit: "step",
        schedulers: [
            LinearLR.self, ConstantLR.self, CosineAnnealingLR.self, MultiStepLR.self, StepLR.self,
            ExponentialLR.self, PolyLR.self, OneCycleLR.self, CosineRestartLR.self, ReduceOnPlateauLR.self,
        ]
    )

    /// `INF = int(1e9)`, the default `end`.
    static let infinity = 1_000_000_000.0

    static let begin = Parameter.float("begin", default: 0, "a number", "the first global step the scheduler acts at")
    static let end = Parameter(
        "end",
        type: "float",
        default: .int(1_000_000_000),
        constraint: "a number above begin",
        meaning: "the global step it stops acting at (the Runner defaults it to max_epochs or max_iters)"
    )
    static let byEpoch = Parameter.bool(
        "by_epoch",
        default: true,
        "whether the Runner steps it after each epoch (true) or each iteration (false); alone it changes nothing"
    )
    static let lastStep = Parameter.int(
        "last_step",
        default: -1,
        "-1, or a step when initial_lr is already set (resuming)",
        "the steps already taken",
        acceptsIntegralFloat: false
    )
    static let verbose = Parameter.bool("verbose", default: false, "prints each change (no effect on the values)")
    /// The keywords every scheduler has, after its own.
    static let common = [begin, end, lastStep, byEpoch, verbose]

    /// A step count or window bound as JSON (and as Python prints it): an integer when it is one.
    static func number(_ x: Double) -> JSONValue {
        x.rounded() == x && abs(x) < 9.0e15 ? .integer(Int(x)) : .double(x)
    }

    /// The recursive cosine step of `CosineAnnealingLR` and `CosineRestartLR`, as torch writes
    /// it: `(1 + cos(pi t / T)) / (1 + cos(pi (t - 1) / T))`, which multiplies `lr - eta_min`.
    static func cosineRatio(step t: Double, period: Double) throws(ScheduleFault) -> Double {
        let denominator = 1 + Foundation.cos(Double.pi * (t - 1) / period)
        guard denominator != 0 else { throw zeroDivision }
        return (1 + Foundation.cos(Double.pi * t / period)) / denominator
    }

    /// `ZeroDivisionError` as Python words it for float operands.
    static let zeroDivision = ScheduleFault("ZeroDivisionError: float division by zero")
}

/// The window and bookkeeping keywords every MMEngine scheduler has.
struct MMEngineWindow: Sendable {
    var begin: Double
    var end: Double
    /// Whether the config gave `end` (the Runner fills it in otherwise).
    var endGiven: Bool
    var byEpoch: Bool
    var lastStep: Int

    /// Reads `begin`, `end`, `last_step`, `by_epoch` and `verbose`.
    init(_ params: inout ParamsReader) {
        begin = params.double(MMEngine.begin)
        endGiven = params.contains(MMEngine.end.name)
        end = params.optionalDouble(MMEngine.end) ?? MMEngine.infinity
        lastStep = params.int(MMEngine.lastStep, in: -1...(1 << 53))
        byEpoch = params.bool(MMEngine.byEpoch)
        _ = params.bool(MMEngine.verbose)
        if let problem = problem { params.record(endGiven ? MMEngine.end.name : MMEngine.begin.name, problem) }
    }

    /// The constructor's check, or nil: `end` must exceed `begin`.
    var problem: String? {
        end > begin ? nil : "end must be larger than begin (MMEngine raises ValueError), got begin=\(begin), end=\(end)"
    }
}

/// An MMEngine scheduler's definition: its window, how it builds on a shared optimizer, and
/// how `convert_to_iter_based` rewrites it (`build_iter_from_epoch`).
protocol MMEngineDefinition: SchedulerDefinition {
    /// The `begin`/`end`/`by_epoch`/`last_step` keywords.
    var window: MMEngineWindow { get set }
    /// The scheduler built on `optimizer` (its constructor run, including its first step).
    func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler
    /// The step-counting keywords multiplied by `epochLength` when converted to iterations
    /// (`step_size`, `milestones`, `T_max`, `total_steps`, `periods`); `begin` and `end` are
    /// handled by `converted(epochLength:)`.
    func scalingSteps(by epochLength: Double) -> Self
}

extension MMEngineDefinition {
    func scalingSteps(by epochLength: Double) -> Self { self }

    /// `build_iter_from_epoch`: `begin = int(begin * L)`, `end = int(end * L)` (unless INF),
    /// `by_epoch = False`, and the step-counting keywords times `L`.
    func converted(epochLength: Int) -> Self {
        var copy = scalingSteps(by: Double(epochLength))
        copy.window.begin = (window.begin * Double(epochLength)).rounded(.towardZero)
        if window.end != MMEngine.infinity {
            copy.window.end = (window.end * Double(epochLength)).rounded(.towardZero)
        }
        copy.window.byEpoch = false
        return copy
    }

    /// The same definition with `end` set, as the Runner's `setdefault('end', …)` does.
    func withDefaultEnd(_ end: Double) -> Self {
        guard !window.endGiven else { return self }
        var copy = self
        copy.window.end = end
        return copy
    }

    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
        let optimizer = MMEngineOptimizer(lrs: lrs)
        return MMEngineSchedule(scheduler: try build(on: optimizer), optimizer: optimizer)
    }
}

/// The optimizer MMEngine's schedulers share: each group's `lr` and the keys schedulers keep in
/// the group (`initial_lr`, and OneCycleLR's `max_lr`/`min_lr`).
final class MMEngineOptimizer {
    // Read and written only by the schedulers' steps, one at a time (no overlapping access to
    // check at run time).
    @exclusivity(unchecked) var lrs: [Double]
    var initialLRs: [Double]?
    var maxLRs: [Double] = []
    var minLRs: [Double] = []

    init(lrs: [Double]) { self.lrs = lrs }
}

/// `_ParamScheduler`: the global step, the window, `last_step` and the base values.
class MMEngineScheduler {
    let optimizer: MMEngineOptimizer
    let window: MMEngineWindow
    /// `_global_step`.
    @exclusivity(unchecked) var globalStep = -1
    /// `last_step`: the steps taken inside the window.
    @exclusivity(unchecked) var lastStep: Int
    /// `base_values`: each group's `initial_lr`.
    let bases: [Double]

    /// The base constructor without its closing `step()` (see `start()`).
    init(optimizer: MMEngineOptimizer, window: MMEngineWindow) throws(ScheduleFault) {
        if let problem = window.problem { throw ScheduleFault("ValueError: \(problem)", parameter: "end") }
        self.optimizer = optimizer
        self.window = window
        if window.lastStep == -1 {
            if optimizer.initialLRs == nil { optimizer.initialLRs = optimizer.lrs }
        } else if optimizer.initialLRs == nil {
            throw ScheduleFault(
                "KeyError: param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
                parameter: "last_step"
            )
        }
        lastStep = window.lastStep
        bases = optimizer.initialLRs ?? optimizer.lrs
    }

    /// The constructor's closing `self.step()`; returns the scheduler.
    func start() throws(ScheduleFault) -> MMEngineScheduler {
        try step()
        return self
    }

    /// `step()`: one more global step; inside the window, `last_step += 1` and the new values.
    func step() throws(ScheduleFault) {
        globalStep += 1
        let at = Double(globalStep)
        if window.begin <= at && at < window.end {
            lastStep += 1
            try update(&optimizer.lrs)
        }
    }

    /// `step(metrics)` for schedulers that take a metric; the others ignore it.
    func step(metric: Double?) throws(ScheduleFault) { try step() }

    /// `_get_value()`, written over the groups' LRs it reads (`lrs` is the optimizer's: read it
    /// here, never through `optimizer`). Every refusal comes before the first write.
    func update(_ lrs: inout [Double]) throws(ScheduleFault) {}
}

/// One MMEngine scheduler alone on its optimizer.
final class MMEngineSchedule: Schedule {
    let scheduler: MMEngineScheduler
    let optimizer: MMEngineOptimizer

    init(scheduler: MMEngineScheduler, optimizer: MMEngineOptimizer) {
        self.scheduler = scheduler
        self.optimizer = optimizer
    }

    var groupCount: Int { optimizer.lrs.count }

    func lr(group: Int) -> Double { optimizer.lrs[group] }

    func step(metric: Double?) throws(ScheduleFault) { try scheduler.step(metric: metric) }
}
