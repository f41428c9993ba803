import Foundation

extension DeepSpeed {
    /// `WarmupCosineLR(optimizer, total_num_steps, warmup_min_ratio=0.0, warmup_num_steps=1000,
    /// cos_min_ratio=0.0001, warmup_type="log")`: ratios of the optimizer's LR.
    ///
    /// While `it < W`: `ratio = wmin + gamma * (1 - wmin)` (gamma as in `WarmupLR`). Then
    /// `p = min(1, (it - W + 1) / max(1, N - W))` and
    /// `ratio = max(0, cmin + (1 - cmin) * (1 + cos(pi * p)) / 2)`. The constructor writes 0,
    /// and the warm-up tops out at `(W - 1) / W` (linear), so the peak ratio 1 is never used.
    /// Source: `deepspeed/runtime/lr_schedules.py`.
    struct WarmupCosineLR: DeepSpeedClosedForm {
        static let name = "WarmupCosineLR"
        static let summary = "warm up as a ratio of the optimizer's lr, then cosine decay to cos_min_ratio"
        static let warmupMinRatio = Parameter.float(
            "warmup_min_ratio",
            default: 0,
            "the ratio of the optimizer's lr at the start of the warm-up"
        )
        static let cosMinRatio = Parameter.float(
            "cos_min_ratio",
            default: 0.0001,
            "the ratio of the optimizer's lr at the end of the decay"
        )
        static let parameters = [
            DeepSpeed.totalNumSteps, warmupMinRatio, DeepSpeed.warmupNumSteps, cosMinRatio, DeepSpeed.warmupType,
            DeepSpeed.lastBatchIteration,
        ]

        let total: Double
        let warmupMin: Double
        let cosMin: Double
        let warmup: Warmup
        let lastIteration: Int

        init?(decoding params: inout ParamsReader) {
            DeepSpeed.refuseNone(&params, Self.parameters, except: [DeepSpeed.warmupType.name])
            total = params.double(DeepSpeed.totalNumSteps)
            warmupMin = params.double(Self.warmupMinRatio)
            warmup = Warmup(&params)
            cosMin = params.double(Self.cosMinRatio)
            lastIteration = params.int(DeepSpeed.lastBatchIteration, in: -(1 << 53)...(1 << 53))
            if params.hasIssues { return nil }
        }

        var warnings: [String] {
            warmup.warnings
                + (total < Double(warmup.steps)
                    ? ["total_num_steps \(total) is less than the warm-up's \(warmup.steps) steps (DeepSpeed warns)"]
                    : [])
        }

        func initialLRs(bases: [Double]) -> [Double] { bases.map { _ in 0.0 } }

        func ratio(at it: Int) -> Double {
            if it < 0 { return 0.0 }
            if it < warmup.steps {
                return warmupMin + warmup.gamma(at: it) * (1.0 - warmupMin)
            }
            let realLastStep = Double(it - warmup.steps + 1)
            let realTotal = Swift.max(1.0, total - Double(warmup.steps))
            let progress = Swift.min(1.0, realLastStep / realTotal)
            let cosine = (1 + Foundation.cos(Double.pi * progress)) / 2
            return Swift.max(0.0, cosMin + (1.0 - cosMin) * cosine)
        }

        func lrs(at it: Int, bases: [Double], into lrs: inout [Double]) {
            let ratio = ratio(at: it)
            for g in lrs.indices { lrs[g] = bases[g] * ratio }
        }
    }
}
