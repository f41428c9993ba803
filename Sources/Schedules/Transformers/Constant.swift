extension Transformers {
    /// `constant` → `get_constant_schedule(optimizer)`: `lr_lambda(t) = 1`, the base LR throughout.
    ///
    /// get_scheduler builds it from the optimizer alone: `num_warmup_steps`, `num_training_steps`
    /// and any scheduler-specific keyword, known or not, are accepted and ignored (each one given is
    /// reported in `warnings`). Source: `transformers/optimization.py`, `get_constant_schedule`.
    struct Constant: TransformersLambda {
        static let name = "constant"
        static let summary = "the base LR at every step"
        static let parameters = [
            Transformers.ignored(Transformers.warmupSteps, by: name),
            Transformers.ignored(Transformers.trainingSteps, by: name),
        ]
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            warnings = Transformers.ignoringAll(except: [], of: Self.name, in: &params)
        }

        func factor(at step: Int) throws(ExprFault) -> Double { 1 }
    }
}
