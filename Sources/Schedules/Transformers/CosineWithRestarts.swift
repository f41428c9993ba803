extension Transformers {
    /// `cosine_with_restarts` → `get_cosine_with_hard_restarts_schedule_with_warmup(optimizer, W, N,
    /// num_cycles=1)`.
    ///
    /// After the warm-up, `progress = float(t - W) / float(max(1, N - W))`; 0.0 once
    /// `progress >= 1.0`, else `max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(num_cycles) *
    /// progress) % 1.0))))`: `num_cycles` hard restarts to the base LR.
    /// Source: `transformers/optimization.py`,
    /// `_get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda`.
    struct CosineWithRestarts: TransformersLambda {
        static let name = "cosine_with_restarts"
        static let summary = "linear warm-up, then num_cycles cosine decays to 0, each restarting at the base LR"
        static let numCycles = Transformers.cycles(
            default: 1,
            "how many cosine cycles (hard restarts) fit before num_training_steps"
        )
        static let parameters = [Transformers.warmupSteps, Transformers.trainingSteps, numCycles]
        let warmupSteps: Int
        let trainingSteps: Int
        let cycles: Double

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            trainingSteps = Transformers.required(Transformers.trainingSteps, of: Self.name, in: &params)
            cycles = params.double(Self.numCycles)
            if params.hasIssues { return nil }
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            if step < warmupSteps { return warmup(step, warmupSteps) }
            let progress = Double(step - warmupSteps) / Double(Swift.max(1, trainingSteps - warmupSteps))
            if progress >= 1.0 { return 0.0 }
            let phase = try PythonFloat.remainder(cycles * progress, 1.0)
            return PythonFloat.max(0.0, 0.5 * (1.0 + ExprLibm.cos(Double.pi * phase)))
        }
    }
}
