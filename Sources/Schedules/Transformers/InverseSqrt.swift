extension Transformers {
    /// `inverse_sqrt` → `get_inverse_sqrt_schedule(optimizer, num_warmup_steps, timescale=None)`.
    ///
    /// `timescale` defaults to `num_warmup_steps or 10_000`. After the warm-up,
    /// `shift = timescale - W` and the factor is `1.0 / math.sqrt((t + shift) / timescale)`
    /// (integer true division). `num_training_steps` is accepted and ignored (reported in
    /// `warnings`). Source: `transformers/optimization.py`, `_get_inverse_sqrt_schedule_lr_lambda`.
    struct InverseSqrt: TransformersLambda {
        static let name = "inverse_sqrt"
        static let summary = "linear warm-up, then the base LR × 1/sqrt((t + timescale - W) / timescale)"
        static let timescale = Parameter("timescale", type: "int", default: .described("num_warmup_steps or 10000"),
                                         constraint: "a positive integer", meaning: "the decay's time scale in steps")
        static let parameters = [Transformers.warmupSteps, Transformers.ignored(Transformers.trainingSteps, by: name), timescale]
        let warmupSteps: Int
        let timescale: Int
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            let given = params.optionalInt(Self.timescale, in: 1...(1 << 53))
            warnings = Transformers.ignoring([Transformers.trainingSteps.name], of: Self.name, in: &params)
            if params.hasIssues { return nil }
            timescale = given ?? (warmupSteps != 0 ? warmupSteps : 10_000)
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            if step < warmupSteps { return warmup(step, warmupSteps) }
            let shift = timescale - warmupSteps
            return 1.0 / ExprLibm.sqrt(try PythonFloat.trueDivide(step + shift, timescale))
        }
    }
}
