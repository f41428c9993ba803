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
        static let timescale = Parameter(
            "timescale",
            type: "int | float",
            default: .described("num_warmup_steps or 10000"),
            constraint: "a number",
            meaning: "the decay's time scale in steps"
        )
        static let parameters = [
            Transformers.warmupSteps, Transformers.ignored(Transformers.trainingSteps, by: name), timescale,
        ]
        let warmupSteps: Int
        /// `timescale`, kept as the JSON number it was: an int divides as an int.
        let timescale: PythonNumber
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            var given: PythonNumber?
            switch params.raw(Self.timescale.name) {
            case nil: given = nil
            case .integer(let i)? where Transformers.steps.contains(i): given = .int(i)
            case .double(let d)? where d.isFinite: given = .float(d)
            case let value?:
                params.record(Self.timescale.name, "must be a number, got \(value.shortDescription)")
            }
            warnings = Transformers.ignoring([Transformers.trainingSteps.name], of: Self.name, in: &params)
            if params.hasIssues { return nil }
            timescale = given ?? .int(warmupSteps != 0 ? warmupSteps : 10_000)
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            if step < warmupSteps { return warmup(step, warmupSteps) }
            let ratio: Double
            switch timescale {
            case .int(let scale): ratio = try PythonFloat.trueDivide(step + (scale - warmupSteps), scale)
            case .float(let scale): ratio = try PythonFloat.divide(Double(step) + (scale - Double(warmupSteps)), scale)
            }
            return try PythonFloat.divide(1.0, try PythonFloat.sqrt(ratio))
        }
    }
}
