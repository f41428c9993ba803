extension Transformers {
    /// `cosine_with_min_lr` → `get_cosine_with_min_lr_schedule_with_warmup(optimizer, W, N,
    /// num_cycles=0.5, min_lr=None, min_lr_rate=None)`.
    ///
    /// Exactly one of `min_lr` and `min_lr_rate` (ValueError otherwise); `min_lr` becomes
    /// `min_lr_rate = min_lr / optimizer.defaults["lr"]` (group 0's LR here). After the warm-up the
    /// cosine factor is rescaled to `factor * (1 - min_lr_rate) + min_lr_rate`, floored with
    /// `max(0, ·)`. Source: `transformers/optimization.py`, `_get_cosine_schedule_with_warmup_lr_lambda`.
    struct CosineWithMinLR: TransformersLambda {
        static let name = "cosine_with_min_lr"
        static let summary = "linear warm-up, then a cosine from the base LR down to min_lr (or base × min_lr_rate)"
        static let numCycles = Transformers.cycles(default: 0.5, "cosine periods over the decay (0.5: one half-cosine)")
        static let minLR = Parameter(
            "min_lr",
            type: "float",
            default: .none,
            constraint: "a number",
            meaning: "the LR at the end of the decay (give this or min_lr_rate)"
        )
        static let minLRRate = Parameter(
            "min_lr_rate",
            type: "float",
            default: .none,
            constraint: "a number",
            meaning: "the end of the decay as a fraction of the base LR (give this or min_lr)"
        )
        static let parameters = [Transformers.warmupSteps, Transformers.trainingSteps, numCycles, minLR, minLRRate]
        let minLR: Double?
        var cosine: CosineDecay

        init?(decoding params: inout ParamsReader) {
            let warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            let trainingSteps = Transformers.required(Transformers.trainingSteps, of: Self.name, in: &params)
            let cycles = params.double(Self.numCycles)
            guard let rate = Transformers.minLR(Self.minLR, Self.minLRRate, in: &params), !params.hasIssues else {
                return nil
            }
            minLR = rate.minLR
            cosine = CosineDecay(
                warmupSteps: warmupSteps,
                trainingSteps: trainingSteps,
                cycles: cycles,
                minLRRate: rate.minLRRate ?? 0
            )
        }

        func prepared(lrInit: Double) throws(ScheduleFault) -> CosineWithMinLR {
            guard let minLR else { return self }
            var copy = self
            do { copy.cosine.minLRRate = try PythonFloat.divide(minLR, lrInit) } catch { throw error.scheduleFault }
            return copy
        }

        func factor(at step: Int) throws(ExprFault) -> Double { cosine.factor(at: step) }
    }

    /// Reads `min_lr` / `min_lr_rate`, exactly one of which must be given (transformers raises
    /// ValueError otherwise); nil after recording the problem.
    static func minLR(
        _ minLR: Parameter,
        _ minLRRate: Parameter,
        in params: inout ParamsReader
    )
        -> (minLR: Double?, minLRRate: Double?)?
    {
        let lr = params.optionalDouble(minLR)
        let rate = params.optionalDouble(minLRRate)
        switch (lr, rate) {
        case (_?, _?):
            params.record(
                minLRRate.name,
                "give min_lr or min_lr_rate, not both (transformers raises ValueError: Only one of min_lr or min_lr_rate should be set)"
            )
            return nil
        case (nil, nil):
            if !params.hasIssues {
                params.record(
                    minLR.name,
                    "is required, or min_lr_rate (transformers raises ValueError: One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`)"
                )
            }
            return nil
        default:
            return (lr, rate)
        }
    }
}
