extension DeepSpeed {
    /// `WarmupDecayLR(optimizer, total_num_steps, warmup_min_lr=0.0, warmup_max_lr=0.001,
    /// warmup_num_steps=1000, warmup_type="log")`.
    ///
    /// `WarmupLR`'s warm-up, then `gamma = max(0, float(N - it) / float(max(1.0, N - W)))` with
    /// `N = total_num_steps`, so the LR falls linearly to `warmup_min_lr` at update `N + 1`.
    /// `warmup_max_lr` defaults to 0.001, not to the optimizer's LR. `total_num_steps < W` only
    /// warns. Source: `deepspeed/runtime/lr_schedules.py`.
    struct WarmupDecayLR: DeepSpeedClosedForm {
        static let name = "WarmupDecayLR"
        static let summary = "WarmupLR's warm-up, then a linear decay to warmup_min_lr at total_num_steps"
        static let warmupMaxLR = Parameter.perGroup(
            "warmup_max_lr",
            default: 0.001,
            "a number",
            "the LR at the end of the warm-up (0.001 when absent, whatever the optimizer's lr; null: the optimizer's lr)"
        )
        static let parameters = [
            DeepSpeed.totalNumSteps, WarmupLR.warmupMinLR, warmupMaxLR, DeepSpeed.warmupNumSteps,
            DeepSpeed.warmupType, DeepSpeed.lastBatchIteration,
        ]

        let total: Double
        let minLRs: [Double]
        /// Nil for an explicit null, which `WarmupLR.__init__` replaces by the optimizer's LRs.
        let maxLRs: [Double]?
        let warmup: Warmup
        let lastIteration: Int

        init?(decoding params: inout ParamsReader) {
            DeepSpeed.refuseNone(&params, Self.parameters, except: [DeepSpeed.warmupType.name, Self.warmupMaxLR.name])
            total = params.double(DeepSpeed.totalNumSteps)
            minLRs = params.perGroup(WarmupLR.warmupMinLR)
            if case .null? = params.object.object[Self.warmupMaxLR.name] {
                _ = params.raw(Self.warmupMaxLR.name)
                maxLRs = nil
            } else {
                maxLRs = params.perGroup(Self.warmupMaxLR)
            }
            warmup = Warmup(&params)
            lastIteration = params.int(DeepSpeed.lastBatchIteration, in: -(1 << 53)...(1 << 53))
            if params.hasIssues { return nil }
        }

        var warnings: [String] {
            warmup.warnings
                + (total < Double(warmup.steps)
                    ? ["total_num_steps \(total) is less than the warm-up's \(warmup.steps) steps (DeepSpeed warns)"]
                    : [])
        }

        func initialLRs(bases: [Double]) -> [Double] { minLRs }

        func lrs(at it: Int, bases: [Double], into lrs: inout [Double]) {
            let gamma: Double
            if it < 0 {
                lrs = minLRs
                return
            } else if it < warmup.steps {
                gamma = warmup.gamma(at: it)
            } else {
                gamma = Swift.max(0.0, (total - Double(it)) / Swift.max(1.0, total - Double(warmup.steps)))
            }
            let maxLRs = maxLRs ?? bases
            for g in lrs.indices { lrs[g] = minLRs[g] + (maxLRs[g] - minLRs[g]) * gamma }
        }
    }
}
