extension DeepSpeed {
    /// `WarmupLR(optimizer, warmup_min_lr=0.0, warmup_max_lr=None, warmup_num_steps=1000,
    /// warmup_type="log")`.
    ///
    /// With `W = max(2, warmup_num_steps)`: `lr = min + (max - min) * gamma`, where
    /// `gamma = ln(it + 1) / ln(W)` (log) or `it / W` (linear) while `it < W`, then 1. The
    /// constructor writes `warmup_min_lr`, so the first two updates run at it.
    /// `warmup_max_lr` defaults to the optimizer's LR. Source: `deepspeed/runtime/lr_schedules.py`.
    struct WarmupLR: DeepSpeedClosedForm {
        static let name = "WarmupLR"
        static let summary = "warm up from warmup_min_lr to warmup_max_lr (log or linear), then hold"
        static let warmupMinLR = Parameter.perGroup(
            "warmup_min_lr",
            default: 0,
            "a number",
            "the LR at the start of the warm-up"
        )
        static let warmupMaxLR = Parameter(
            "warmup_max_lr",
            type: "float | list[float]",
            default: .described("the optimizer's lr"),
            constraint: "a number",
            meaning: "the LR at the end of the warm-up"
        )
        static let parameters = [
            warmupMinLR, warmupMaxLR, DeepSpeed.warmupNumSteps, DeepSpeed.warmupType, DeepSpeed.lastBatchIteration,
        ]

        let minLRs: [Double]
        let maxLRs: [Double]?
        let warmup: Warmup
        let lastIteration: Int

        init?(decoding params: inout ParamsReader) {
            DeepSpeed.refuseNone(&params, Self.parameters, except: [DeepSpeed.warmupType.name])
            minLRs = params.perGroup(Self.warmupMinLR)
            maxLRs = params.contains(Self.warmupMaxLR.name) ? params.perGroup(Self.warmupMaxLR) : nil
            if maxLRs == nil { _ = params.raw(Self.warmupMaxLR.name) }
            warmup = Warmup(&params)
            lastIteration = params.int(DeepSpeed.lastBatchIteration, in: -(1 << 53)...(1 << 53))
            if params.hasIssues { return nil }
        }

        var warnings: [String] { warmup.warnings }

        func initialLRs(bases: [Double]) -> [Double] { minLRs }

        func lrs(at it: Int, bases: [Double], into lrs: inout [Double]) {
            if it < 0 {
                lrs = minLRs
                return
            }
            let gamma = it < warmup.steps ? warmup.gamma(at: it) : 1.0
            let maxLRs = maxLRs ?? bases
            for g in lrs.indices { lrs[g] = minLRs[g] + (maxLRs[g] - minLRs[g]) * gamma }
        }
    }
}
