extension Transformers {
    /// `constant_with_warmup` → `get_constant_schedule_with_warmup(optimizer, num_warmup_steps)`.
    ///
    /// `lr_lambda(t)`: `float(t) / float(max(1.0, W))` while `t < W`, then 1.0. get_scheduler passes
    /// only `num_warmup_steps`: `num_training_steps` and scheduler-specific keywords are accepted
    /// and ignored (reported in `warnings`).
    /// Source: `transformers/optimization.py`, `_get_constant_schedule_with_warmup_lr_lambda`.
    struct ConstantWithWarmup: TransformersLambda {
        static let name = "constant_with_warmup"
        static let summary = "linear warm-up from 0, then the base LR"
        static let parameters = [Transformers.warmupSteps, Transformers.ignored(Transformers.trainingSteps, by: name)]
        let warmupSteps: Int
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            warnings = Transformers.ignoringAll(except: [Transformers.warmupSteps.name], of: Self.name, in: &params)
            if params.hasIssues { return nil }
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            step < warmupSteps ? Double(step) / PythonFloat.max(1.0, Double(warmupSteps)) : 1.0
        }
    }
}
