extension Transformers {
    /// `reduce_lr_on_plateau` → `get_reduce_on_plateau_schedule(optimizer, **kwargs)`: torch's
    /// `ReduceLROnPlateau` with the scheduler-specific keywords (see the torch family), stepped with
    /// `step(metrics[i])`. `num_warmup_steps` and `num_training_steps` are accepted and ignored
    /// (reported in `warnings`). Source: `transformers/optimization.py`, `get_scheduler`.
    struct ReduceOnPlateau: SchedulerDefinition {
        static let name = "reduce_lr_on_plateau"
        static let summary = "torch's ReduceLROnPlateau: multiply the LR by factor when the metric stops improving"
        static let takesMetrics = true
        static let parameters =
            [
                Transformers.ignored(Transformers.warmupSteps, by: name),
                Transformers.ignored(Transformers.trainingSteps, by: name),
            ]
            + ReduceLROnPlateau.Definition.parameters
        let plateau: ReduceLROnPlateau.Definition
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            warnings = Transformers.ignoring(
                [Transformers.warmupSteps.name, Transformers.trainingSteps.name],
                of: Self.name,
                in: &params
            )
            guard let plateau = ReduceLROnPlateau.Definition(decoding: &params) else { return nil }
            self.plateau = plateau
        }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            try plateau.makeSchedule(lrs: lrs)
        }
    }
}
