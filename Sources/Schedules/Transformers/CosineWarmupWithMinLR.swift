extension Transformers {
    /// `cosine_warmup_with_min_lr` → `get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer,
    /// W, N, num_cycles=0.5, min_lr=None, min_lr_rate=None, warmup_lr_rate=None)`.
    ///
    /// All in floats: while `t < W`, `(t + 1.0) / max(1.0, W)`, or with `warmup_lr_rate` r,
    /// `r + (1.0 - r) * t / max(1, W - 1)`; then `progress = (t - W + 1.0) / max(1.0, N - W)`,
    /// `factor = 0.5 * (1.0 + math.cos(math.pi * num_cycles * 2.0 * progress))`, rescaled to
    /// `factor * (1 - min_lr_rate) + min_lr_rate` and floored with `max(0, ·)`. One of `min_lr`,
    /// `min_lr_rate` is required. Source: `transformers/optimization.py`,
    /// `_get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda`.
    struct CosineWarmupWithMinLR: TransformersLambda {
        static let name = "cosine_warmup_with_min_lr"
        static let summary = "warm-up that starts above 0, then a cosine from the base LR down to min_lr"
        static let warmupLRRate = Parameter(
            "warmup_lr_rate",
            type: "float",
            default: .none,
            constraint: "a number",
            meaning: "the first warm-up value as a fraction of the base LR (None: 1/W)"
        )
        static let parameters = [
            Transformers.warmupSteps, Transformers.trainingSteps, CosineWithMinLR.numCycles,
            CosineWithMinLR.minLR, CosineWithMinLR.minLRRate, warmupLRRate,
        ]
        let warmupSteps: Double
        let trainingSteps: Double
        let cycles: Double
        let minLR: Double?
        var minLRRate: Double
        let warmupLRRate: Double?

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Double(Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params))
            trainingSteps = Double(Transformers.required(Transformers.trainingSteps, of: Self.name, in: &params))
            cycles = params.double(CosineWithMinLR.numCycles)
            let rate = Transformers.minLR(CosineWithMinLR.minLR, CosineWithMinLR.minLRRate, in: &params)
            warmupLRRate = params.optionalDouble(Self.warmupLRRate)
            guard let rate, !params.hasIssues else { return nil }
            minLR = rate.minLR
            minLRRate = rate.minLRRate ?? 0
        }

        func prepared(lrInit: Double) throws(ScheduleFault) -> CosineWarmupWithMinLR {
            guard let minLR else { return self }
            var copy = self
            do { copy.minLRRate = try PythonFloat.divide(minLR, lrInit) } catch { throw error.scheduleFault }
            return copy
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            let t = Double(step)
            if t < warmupSteps {
                guard let r = warmupLRRate else { return (t + 1.0) / PythonFloat.max(1.0, warmupSteps) }
                // max(1, W - 1): the int 1 unless W - 1 > 1; dividing by it is the same either way.
                return r + (1.0 - r) * t / PythonFloat.max(1.0, warmupSteps - 1)
            }
            let progress = (t - warmupSteps + 1.0) / PythonFloat.max(1.0, trainingSteps - warmupSteps)
            var factor = 0.5 * (1.0 + ExprLibm.cos(Double.pi * cycles * 2.0 * progress))
            factor = factor * (1 - minLRRate) + minLRRate
            return factor > 0 ? factor : 0.0
        }
    }
}
