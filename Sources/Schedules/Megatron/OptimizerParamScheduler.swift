import Foundation
import JSON

extension Megatron {
    /// `OptimizerParamScheduler(optimizer, init_lr, max_lr, min_lr, lr_warmup_steps,
    /// lr_decay_steps, lr_decay_style, start_wd, end_wd, wd_incr_steps, wd_incr_style,
    /// use_checkpoint_opt_param_scheduler=True, override_opt_param_scheduler=False,
    /// wsd_decay_steps=None, lr_wsd_decay_style=None)`, stepped by `step(increment)`.
    ///
    /// With `n` the samples so far: `init + (max - init) * n / warmup` while `n <= warmup`
    /// (warm-up > 0); `max` for `constant`; `min` once `n > lr_decay_steps`;
    /// `max(min, max * sqrt(max(warmup, 1)) / sqrt(max(n, 1)))` for `inverse-square-root`;
    /// otherwise `min + coeff * (max - min)` with `r = (n - warmup) / (decay - warmup)` and
    /// `coeff = 1 - r` (linear), `(cos(pi r) + 1) / 2` (cosine), or for `WSD` 1 until
    /// `decay - wsd_decay_steps`, then linear, cosine, `2 * 0.5^r' - 1` (exponential) or
    /// `1 - sqrt(r')` (minus_sqrt) over the last `wsd_decay_steps`. The weight-decay keywords
    /// do not move the LR, but their checks abort the run as in megatron-core; lrsched defaults
    /// them to a constant weight decay of 0.
    struct OptimizerParamScheduler: SchedulerDefinition {
        static let name = "OptimizerParamScheduler"
        static let summary = "Megatron's warm-up then linear, cosine, inverse-square-root or WSD decay, in samples"
        static let learningRate = LearningRatePolicy.none

        static let initLR = Parameter.float("init_lr", default: nil, "a number", "the LR at sample 0 of the warm-up")
        static let maxLR = Parameter.float("max_lr", default: nil, "a number", "the LR at the end of the warm-up")
        static let minLR = Parameter.float("min_lr", default: nil, "a non-negative number", "the LR the decay ends at")
        static let warmupSteps = Parameter.float(
            "lr_warmup_steps",
            default: nil,
            "a number below lr_decay_steps",
            "samples of linear warm-up (Megatron passes lr_warmup_fraction * lr_decay_steps, a float)"
        )
        static let decayStepsParameter = Parameter.float(
            "lr_decay_steps",
            default: nil,
            "a positive number",
            "samples until the decay ends"
        )
        static let decayStyle = Parameter.choice(
            "lr_decay_style",
            default: nil,
            ["constant", "linear", "cosine", "inverse-square-root", "WSD"],
            "the decay; another name fails at the first step that decays, as in megatron-core"
        )
        static let startWD = Parameter.float(
            "start_wd",
            default: 0,
            "a non-negative number",
            "the weight decay at sample 0"
        )
        static let endWD = Parameter.float("end_wd", default: 0, "a number >= start_wd", "the final weight decay")
        static let wdIncrSteps = Parameter.float(
            "wd_incr_steps",
            default: 0,
            "a number",
            "samples over which the weight decay moves"
        )
        static let wdIncrStyle = Parameter.choice(
            "wd_incr_style",
            default: "constant",
            ["constant", "linear", "cosine"],
            "how the weight decay moves (constant needs start_wd == end_wd)"
        )
        static let useCheckpoint = Parameter.bool(
            "use_checkpoint_opt_param_scheduler",
            default: true,
            "take the scheduler's values from a checkpoint (no effect on a fresh run)"
        )
        static let override = Parameter.bool(
            "override_opt_param_scheduler",
            default: false,
            "override a checkpoint's values (megatron-core refuses it together with use_checkpoint_opt_param_scheduler)"
        )
        static let wsdDecaySteps = Parameter(
            "wsd_decay_steps",
            type: "float",
            default: .none,
            constraint: "a number",
            meaning: "samples of WSD's final anneal (required for WSD)"
        )
        static let wsdStyle = Parameter(
            "lr_wsd_decay_style",
            type: "string",
            default: .none,
            constraint: "one of \"linear\", \"cosine\", \"exponential\", \"minus_sqrt\"",
            meaning: "WSD's anneal; absent or another name fails at the first anneal step, as in megatron-core"
        )
        static let increment = Parameter.int(
            "increment",
            default: 1,
            "an integer within ±2^32",
            "not a constructor keyword: the samples each step(increment) adds (Megatron-LM: the global batch size)"
        )
        static let parameters = [
            initLR, maxLR, minLR, warmupSteps, decayStepsParameter, decayStyle, startWD, endWD, wdIncrSteps,
            wdIncrStyle, useCheckpoint, override, wsdDecaySteps, wsdStyle, increment,
        ]

        let initial: Double, peak: Double, floor: Double
        let warmup: Double, decaySteps: Double
        let style: String, wsdStyle: String?
        let wsdSteps: Double?
        let startWeightDecay: Double, endWeightDecay: Double, weightDecaySteps: Double, weightDecayStyle: String
        let increment: Int

        init?(decoding params: inout ParamsReader) {
            initial = params.double(Self.initLR)
            peak = params.double(Self.maxLR)
            floor = params.double(Self.minLR)
            warmup = params.double(Self.warmupSteps)
            decaySteps = params.double(Self.decayStepsParameter)
            style = Self.string(&params, Self.decayStyle) ?? "linear"
            startWeightDecay = params.double(Self.startWD)
            endWeightDecay = params.double(Self.endWD)
            weightDecaySteps = params.double(Self.wdIncrSteps)
            weightDecayStyle = Self.string(&params, Self.wdIncrStyle) ?? "constant"
            let useCheckpoint = params.bool(Self.useCheckpoint)
            let override = params.bool(Self.override)
            wsdSteps = params.optionalDouble(Self.wsdDecaySteps)
            wsdStyle = Self.string(&params, Self.wsdStyle)
            increment = params.int(Self.increment, in: -(1 << 32)...(1 << 32))
            if params.hasIssues { return nil }
            // The constructor's assertions, in its order.
            let checks: [(Bool, String, String)] = [
                (floor >= 0, Self.minLR.name, "must be >= 0"),
                (peak >= floor, Self.maxLR.name, "must be >= min_lr"),
                (initial <= peak, Self.initLR.name, "must be <= max_lr"),
                (decaySteps > 0, Self.decayStepsParameter.name, "must be > 0"),
                (warmup < decaySteps, Self.warmupSteps.name, "must be below lr_decay_steps"),
                (style != "WSD" || wsdSteps != nil, Self.wsdDecaySteps.name, "is required with lr_decay_style WSD"),
                (startWeightDecay >= 0, Self.startWD.name, "must be >= 0"),
                (endWeightDecay >= startWeightDecay, Self.endWD.name, "must be >= start_wd"),
                (
                    !(override && useCheckpoint), Self.override.name,
                    "cannot be true together with use_checkpoint_opt_param_scheduler (both override and use-checkpoint are set)"
                ),
            ]
            if let (_, name, detail) = checks.first(where: { !$0.0 }) {
                params.record(name, "\(detail) (megatron-core's constructor asserts it)")
                return nil
            }
        }

        /// A string keyword megatron-core compares by value: any string, or null where the
        /// default is `None`.
        static func string(_ params: inout ParamsReader, _ p: Parameter) -> String? {
            switch params.raw(p.name) {
            case nil, .null?:
                if case .string(let s) = p.defaultValue { return s }
                if p.isRequired { params.record(p.name, "is required (\(p.constraint))") }
                return nil
            case .string(let s)?: return s
            case let value?:
                params.record(p.name, "must be \(p.constraint), got \(value.shortDescription)")
                return nil
            }
        }

        var costPerEpoch: Int { 1 }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            let schedule = MegatronSchedule(self, groups: lrs.count)
            try schedule.advance(by: 0)
            return schedule
        }

        /// `get_lr()` after `n` samples.
        func lr(at n: Int) throws(ScheduleFault) -> Double {
            let steps = Double(n)
            if warmup > 0 && steps <= warmup {
                return initial + (peak - initial) * steps / warmup
            }
            if style == "constant" { return peak }
            if steps > decaySteps { return floor }
            if style == "inverse-square-root" {
                let w = Swift.max(warmup, 1)
                let s = Swift.max(steps, 1)
                return Swift.max(floor, peak * Foundation.pow(w, 0.5) / Foundation.pow(s, 0.5))
            }
            let ratio = (steps - warmup) / (decaySteps - warmup)
            guard ratio >= 0, ratio <= 1 else { throw ScheduleFault("AssertionError") }
            let coefficient: Double
            switch style {
            case "linear": coefficient = 1.0 - ratio
            case "cosine": coefficient = 0.5 * (Foundation.cos(Double.pi * ratio) + 1.0)
            case "WSD":
                let wsd = wsdSteps ?? 0
                let annealStart = decaySteps - wsd
                if steps <= annealStart {
                    coefficient = 1.0
                } else {
                    let r = (steps - annealStart) / wsd
                    switch wsdStyle {
                    case "linear": coefficient = 1.0 - r
                    case "cosine": coefficient = 0.5 * (Foundation.cos(Double.pi * r) + 1.0)
                    case "exponential": coefficient = 2.0 * Foundation.pow(0.5, r) - 1.0
                    case "minus_sqrt": coefficient = 1.0 - r.squareRoot()
                    default: throw ScheduleFault("AssertionError", parameter: Self.wsdStyle.name)
                    }
                }
            default:
                throw ScheduleFault(
                    "Exception: \(style) decay style is not supported.",
                    parameter: Self.decayStyle.name
                )
            }
            return floor + coefficient * (peak - floor)
        }

        /// `get_wd()`'s checks after `n` samples (its value does not move the LR).
        func checkWeightDecay(at n: Int) throws(ScheduleFault) {
            let steps = Double(n)
            if steps > weightDecaySteps { return }
            if weightDecayStyle == "constant" {
                if startWeightDecay != endWeightDecay {
                    throw ScheduleFault("AssertionError", parameter: Self.endWD.name)
                }
                return
            }
            guard weightDecaySteps != 0 else {
                throw ScheduleFault("ZeroDivisionError: float division by zero", parameter: Self.wdIncrSteps.name)
            }
            let ratio = steps / weightDecaySteps
            guard ratio >= 0, ratio <= 1 else { throw ScheduleFault("AssertionError") }
            guard weightDecayStyle == "linear" || weightDecayStyle == "cosine" else {
                throw ScheduleFault(
                    "Exception: \(weightDecayStyle) weight decay increment style is not supported.",
                    parameter: Self.wdIncrStyle.name
                )
            }
        }
    }
}

/// `OptimizerParamScheduler` being stepped: `step(increment)` adds the samples and writes
/// `get_lr()` into every group (one value for all: lrsched's groups carry no `max_lr` of their own).
final class MegatronSchedule: Schedule {
    let definition: Megatron.OptimizerParamScheduler
    let groupCount: Int
    @exclusivity(unchecked) var samples = 0
    @exclusivity(unchecked) var current = 0.0

    init(_ definition: Megatron.OptimizerParamScheduler, groups: Int) {
        self.definition = definition
        self.groupCount = groups
    }

    /// `step(increment)` with `increment` samples.
    func advance(by increment: Int) throws(ScheduleFault) {
        samples += increment
        current = try definition.lr(at: samples)
        try definition.checkWeightDecay(at: samples)
    }

    func lr(group: Int) -> Double { current }

    func step(metric: Double?) throws(ScheduleFault) {
        try advance(by: definition.increment)
    }
}
