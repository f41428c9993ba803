extension Transformers {
    /// `cosine` → `get_cosine_schedule_with_warmup(optimizer, W, N, num_cycles=0.5)`.
    ///
    /// After the warm-up, `progress = float(t - W) / float(max(1, N - W))` and
    /// `factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))`, then
    /// `max(0, factor * (1 - 0.0) + 0.0)`: transformers defines the lambda twice and the second
    /// definition (with `min_lr_rate=0.0`) is the one called. Past N the cosine rises again.
    /// Source: `transformers/optimization.py`, `_get_cosine_schedule_with_warmup_lr_lambda`.
    struct Cosine: TransformersLambda {
        static let name = "cosine"
        static let summary = "linear warm-up from 0, then a cosine from the base LR down to 0 at num_training_steps"
        static let numCycles = Transformers.cycles(
            default: 0.5,
            "cosine periods over the decay (0.5: one half-cosine down to 0)"
        )
        static let parameters = [Transformers.warmupSteps, Transformers.trainingSteps, numCycles]
        let cosine: CosineDecay

        init?(decoding params: inout ParamsReader) {
            let warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            let trainingSteps = Transformers.required(Transformers.trainingSteps, of: Self.name, in: &params)
            let cycles = params.double(Self.numCycles)
            if params.hasIssues { return nil }
            cosine = CosineDecay(warmupSteps: warmupSteps, trainingSteps: trainingSteps, cycles: cycles, minLRRate: 0.0)
        }

        func factor(at step: Int) throws(ExprFault) -> Double { cosine.factor(at: step) }
    }
}

/// The cosine lambda that `cosine` and `cosine_with_min_lr` share
/// (`_get_cosine_schedule_with_warmup_lr_lambda` with `min_lr_rate`).
struct CosineDecay: Sendable {
    var warmupSteps: Int
    var trainingSteps: Int
    var cycles: Double
    var minLRRate: Double

    @inline(__always)
    func factor(at step: Int) -> Double {
        if step < warmupSteps { return Double(step) / Double(Swift.max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(Swift.max(1, trainingSteps - warmupSteps))
        var factor = 0.5 * (1.0 + ExprLibm.cos(Double.pi * cycles * 2.0 * progress))
        factor = factor * (1 - minLRRate) + minLRRate
        // max(0, factor): the int 0 unless factor > 0; LambdaLR's base * 0 is 0.0 either way.
        return factor > 0 ? factor : 0.0
    }
}
