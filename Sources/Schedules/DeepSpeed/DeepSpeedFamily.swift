import Foundation
import JSON

/// DeepSpeed's built-in schedulers (`deepspeed.runtime.lr_schedules`), configured by the
/// `"scheduler": {"type": …, "params": {…}}` block of `ds_config.json`: `scheduler` is the
/// `type`, `params` the block's `params` verbatim.
///
/// Every class keeps `last_batch_iteration` (-1 at construction) and writes absolute values
/// into the optimizer's groups: the constructor writes the LR of iteration -1 (`warmup_min_lr`,
/// `cycle_min_lr`, …), each `step()` the LR of the next iteration. The engine steps the
/// scheduler once per optimizer update, after it, so update `u` runs at value `u - 1`. The
/// optimizer starts at `lr`; it is an Adam unless the request's `optimizer` says `sgd`.
enum DeepSpeed {
    /// The family and its schedulers.
    static let family = Family(
        name: "deepspeed",
        title: "DeepSpeed deepspeed.runtime.lr_schedules",
        version: "0.19.8",
        stepping:
            "value k is the LR the optimizer holds after construction and start + k calls of step() (the engine steps once per optimizer update, so update k + 1 runs at value k)",
        unit: "step",
        schedulers: [
            WarmupLR.self, WarmupDecayLR.self, WarmupCosineLR.self, OneCycle.self, LRRangeTest.self,
        ],
        options: [optimizer]
    )

    /// The optimizer the scheduler drives: only `OneCycle` tells them apart, cycling Adam's
    /// `betas[0]` and leaving SGD's momentum alone (SGD has no `betas`).
    static let optimizer = FamilyOption(
        "optimizer",
        choices: ["adam", "sgd"],
        default: "adam",
        "the optimizer (ds_config optimizer.type): OneCycle cycles Adam's betas[0]; SGD has no betas, so its momentum is left alone"
    )

    /// `warmup_num_steps`: DeepSpeed 0.19.8 raises unless it is a positive `int` (a float such
    /// as `10.0` included), then clamps it to at least 2.
    static let warmupNumSteps = Parameter.int(
        "warmup_num_steps",
        default: 1000,
        "a positive integer",
        "steps of warm-up (at least 2 are taken)",
        acceptsIntegralFloat: false
    )
    static let warmupType = Parameter.choice(
        "warmup_type",
        default: "log",
        ["log", "linear"],
        "the warm-up curve; DeepSpeed warns and uses log for any other name"
    )
    static let totalNumSteps = Parameter.float(
        "total_num_steps",
        default: nil,
        "a number",
        "optimizer updates of the whole run (where the decay ends)"
    )

    /// `last_batch_iteration`: the iteration the scheduler resumes from. At -1 (a fresh run) the
    /// constructor writes its first values; otherwise it leaves the optimizer's LR alone until
    /// the first `step()`.
    static let lastBatchIteration = Parameter.int(
        "last_batch_iteration",
        default: -1,
        "an integer",
        "the iteration already done (-1: a fresh run; prefer start, which answers the same run from any step)",
        acceptsIntegralFloat: false
    )

    /// DeepSpeed hands every `params` member to the constructor as a keyword, so a JSON null is
    /// Python's `None` there, not an absent member: a keyword whose default is a value then
    /// raises (or fails at a later step), and is refused here. Keywords whose default is `None`
    /// take it, and `exceptions` (read by their scheduler) have their own rule.
    static func refuseNone(_ params: inout ParamsReader, _ parameters: [Parameter], except exceptions: Set<String> = [])
    {
        for p in parameters where !exceptions.contains(p.name) {
            guard case .null? = params.object.object[p.name] else { continue }
            switch p.defaultValue {
            case .none, .described: continue
            default:
                _ = params.raw(p.name)
                params.record(
                    p.name,
                    "must be \(p.constraint), got null (DeepSpeed passes it to the constructor as None, which fails)"
                )
            }
        }
    }

    /// A keyword DeepSpeed checks with `isinstance(x, int) and x > 0`: Python's `True` is the
    /// int 1 and passes; a float (even `10.0`) does not.
    static func positiveInt(_ params: inout ParamsReader, _ p: Parameter) -> Int {
        if case .bool(let flag)? = params.object.object[p.name] {
            _ = params.raw(p.name)
            if !flag { params.record(p.name, "must be \(p.constraint), got false (0)") }
            return 1
        }
        return params.int(p, in: 1...(1 << 53))
    }

    /// A keyword DeepSpeed reads for its truth value (`if x:`): Python's truthiness of any
    /// JSON scalar (0, "" and null are false).
    static func truthy(_ params: inout ParamsReader, _ p: Parameter) -> Bool {
        switch params.object.object[p.name] {
        case nil: return params.bool(p)
        case .null?:
            _ = params.raw(p.name)
            return false
        case .bool(let b)?:
            _ = params.raw(p.name)
            return b
        case .string(let s)?:
            _ = params.raw(p.name)
            return !s.isEmpty
        case let value?:
            if let d = value.doubleValue {
                _ = params.raw(p.name)
                return d != 0
            }
            return params.bool(p)
        }
    }

    /// The steps of the warm-up a `warmup_num_steps` parameter asks for, and its curve.
    struct Warmup: Sendable {
        /// `max(2, warmup_num_steps)`.
        let steps: Int
        /// Whether the curve is linear (`it / W`) rather than logarithmic (`ln(it + 1) / ln(W)`).
        let linear: Bool
        /// `1.0 / math.log(W)`.
        let inverseLog: Double
        /// Set when `warmup_type` named neither curve.
        let unknownType: String?

        init(_ params: inout ParamsReader) {
            steps = max(2, DeepSpeed.positiveInt(&params, DeepSpeed.warmupNumSteps))
            inverseLog = 1.0 / Foundation.log(Double(steps))
            switch params.raw(DeepSpeed.warmupType.name) {
            case nil, .string("log"):
                linear = false
                unknownType = nil
            case .null:
                linear = false
                unknownType = "None"
            case .string("linear"):
                linear = true
                unknownType = nil
            case .string(let other):
                linear = false
                unknownType = other
            case let value?:
                params.record(
                    DeepSpeed.warmupType.name,
                    "must be a string (\"log\" or \"linear\"), got \(value.shortDescription)"
                )
                linear = false
                unknownType = nil
            }
        }

        /// `_get_gamma()` during the warm-up (`it < W`).
        func gamma(at it: Int) -> Double {
            linear ? Double(it) / Double(steps) : inverseLog * Foundation.log(Double(it + 1))
        }

        /// DeepSpeed's warning about an unknown `warmup_type`.
        var warnings: [String] {
            unknownType.map {
                ["warmup_type \"\($0)\" is neither \"log\" nor \"linear\": DeepSpeed warns and uses log"]
            } ?? []
        }
    }
}

/// A DeepSpeed scheduler as a function of `last_batch_iteration`: the constructor's values
/// (iteration -1) and those after each `step()`.
protocol DeepSpeedClosedForm: SchedulerDefinition {
    /// The LR of every group after construction (`bases`: the optimizer's LRs).
    func initialLRs(bases: [Double]) -> [Double]
    /// `get_lr()` at iteration `it` (negative after a negative `last_batch_iteration`).
    func lrs(at it: Int, bases: [Double], into lrs: inout [Double])
    /// The `betas[0]` the scheduler sets at construction; nil when it leaves momentum alone.
    func initialMomentums(groups: Int) -> [Double]?
    /// `get_mom()[g][0]` at iteration `it` (called only when `initialMomentums` is not nil).
    func momentums(at it: Int, into momentums: inout [Double])
    /// The constructor's `last_batch_iteration`.
    var lastIteration: Int { get }
}

extension DeepSpeedClosedForm {
    func initialMomentums(groups: Int) -> [Double]? { nil }
    func momentums(at it: Int, into momentums: inout [Double]) {}

    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
        DeepSpeedSchedule(self, bases: lrs)
    }
}

/// A DeepSpeed scheduler being stepped: `step()` sets `last_batch_iteration += 1` and writes
/// `get_lr()` (and `get_mom()`) into every group.
final class DeepSpeedSchedule<Definition: DeepSpeedClosedForm>: Schedule {
    let definition: Definition
    let bases: [Double]
    @exclusivity(unchecked) var lrs: [Double]
    @exclusivity(unchecked) var momentums: [Double]?
    @exclusivity(unchecked) var iteration: Int

    init(_ definition: Definition, bases: [Double]) {
        self.definition = definition
        self.bases = bases
        iteration = definition.lastIteration
        let fresh = iteration == -1
        lrs = fresh ? definition.initialLRs(bases: bases) : bases
        // Resumed (`last_batch_iteration` != -1), the constructor leaves betas[0] at Adam's 0.9.
        momentums = definition.initialMomentums(groups: bases.count).map { fresh ? $0 : $0.map { _ in 0.9 } }
    }

    var groupCount: Int { bases.count }

    func lr(group: Int) -> Double { lrs[group] }

    func momentum(group: Int) -> Double? { momentums?[group] }

    func step(metric: Double?) throws(ScheduleFault) {
        iteration += 1
        definition.lrs(at: iteration, bases: bases, into: &lrs)
        if momentums != nil { definition.momentums(at: iteration, into: &momentums!) }
    }
}
