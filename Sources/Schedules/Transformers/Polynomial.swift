extension Transformers {
    /// `polynomial` → `get_polynomial_decay_schedule_with_warmup(optimizer, W, N, lr_end=1e-7,
    /// power=1.0)`.
    ///
    /// After the warm-up and up to N: `lr_range = lr_init - lr_end`,
    /// `pct_remaining = 1 - (t - W) / (N - W)`, `decay = lr_range * pct_remaining**power + lr_end`,
    /// factor `decay / lr_init`; past N, `lr_end / lr_init`. `lr_init` is `optimizer.defaults["lr"]`
    /// (group 0's LR here), so other groups end at `base * lr_end / lr_init`. Raises ValueError
    /// unless `lr_init > lr_end`, and ZeroDivisionError at t = W when N == W.
    /// Source: `transformers/optimization.py`, `_get_polynomial_decay_schedule_with_warmup_lr_lambda`.
    struct Polynomial: TransformersLambda {
        static let name = "polynomial"
        static let summary = "linear warm-up, then a polynomial decay from the base LR to lr_end at num_training_steps"
        static let lrEnd = Parameter.float("lr_end", default: 1e-7, "a number below the optimizer's lr", "the final LR")
        static let power = Parameter.float("power", default: 1.0, "the decay's power (1: linear)")
        static let parameters = [Transformers.warmupSteps, Transformers.trainingSteps, lrEnd, power]
        let warmupSteps: Int
        let trainingSteps: Int
        let lrEnd: Double
        let power: Double
        var lrInit = 1.0

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            trainingSteps = Transformers.required(Transformers.trainingSteps, of: Self.name, in: &params)
            lrEnd = params.double(Self.lrEnd)
            power = params.double(Self.power)
            if params.hasIssues { return nil }
        }

        func prepared(lrInit: Double) throws(ScheduleFault) -> Polynomial {
            guard lrInit > lrEnd else {
                throw ScheduleFault(
                    "ValueError: lr_end (\(lrEnd)) must be smaller than initial lr (\(lrInit))",
                    parameter: "lr_end"
                )
            }
            var copy = self
            copy.lrInit = lrInit
            return copy
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            if step < warmupSteps { return warmup(step, warmupSteps) }
            if step > trainingSteps { return try PythonFloat.divide(lrEnd, lrInit) }
            let range = lrInit - lrEnd
            let decaySteps = trainingSteps - warmupSteps
            let remaining = 1 - (try PythonFloat.trueDivide(step - warmupSteps, decaySteps))
            let decay = range * (try PythonFloat.power(remaining, power)) + lrEnd
            return try PythonFloat.divide(decay, lrInit)
        }
    }
}
