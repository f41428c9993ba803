extension Transformers {
    /// `linear` → `get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps)`.
    ///
    /// `lr_lambda(t)`: `float(t) / float(max(1, W))` while `t < W`, then
    /// `max(0.0, float(N - t) / float(max(1, N - W)))`: 0 → 1 over the warm-up, 1 → 0 at N, 0 after.
    /// Source: `transformers/optimization.py`, `_get_linear_schedule_with_warmup_lr_lambda`.
    struct Linear: TransformersLambda {
        static let name = "linear"
        static let summary = "linear warm-up from 0, then linear decay to 0 at num_training_steps"
        static let parameters = [Transformers.warmupSteps, Transformers.trainingSteps]
        let warmupSteps: Int
        let trainingSteps: Int

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            trainingSteps = Transformers.required(Transformers.trainingSteps, of: Self.name, in: &params)
            if params.hasIssues { return nil }
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            if step < warmupSteps { return warmup(step, warmupSteps) }
            return PythonFloat.max(
                0.0,
                Double(trainingSteps - step) / Double(Swift.max(1, trainingSteps - warmupSteps))
            )
        }
    }
}
