import Float32Math

#if canImport(Glibc)
import Glibc
#endif

extension Keras {
    /// `keras.optimizers.schedules.ExponentialDecay(initial_learning_rate, decay_steps,
    /// decay_rate, staircase=False)`: `initial * decay_rate ** (step / decay_steps)`, the exponent
    /// floored when `staircase`. `decay_steps` must be positive.
    ///
    /// jax: `powf(f32(rate), p) * f32(initial)` with `p = f32(step) * f32(1/decay_steps)`,
    /// subnormals flushed to 0. torch: `p = f32(step) / f32(decay_steps)` (IEEE division), then
    /// `f32(initial) * powf(f32(rate), p)`. Source: `keras/src/optimizers/schedules/learning_rate_schedule.py`.
    struct ExponentialDecay: KerasClosedForm {
        static let name = "ExponentialDecay"
        static let summary = "initial_learning_rate × decay_rate^(step / decay_steps), optionally staircased"
        static let initial = Parameter.float(
            "initial_learning_rate",
            "a number (read as a float)",
            "the learning rate at step 0"
        )
        static let decaySteps = Parameter.float("decay_steps", "a positive number", "steps per factor of decay_rate")
        static let decayRate = Parameter.float("decay_rate", "a number", "the factor per decay_steps")
        static let staircase = Parameter.bool("staircase", default: false, "decay in whole factors every decay_steps")
        static let parameters = [initial, decaySteps, decayRate, staircase]
        let initialValue: Float
        let steps: Float
        let rate: Float
        let isStaircase: Bool
        let torch: Bool

        init?(decoding params: inout ParamsReader) {
            initialValue = Keras.initialRate(Self.initial, &params)
            steps = Keras.positiveSteps(Self.decaySteps, &params)
            rate = Float(params.double(Self.decayRate) { $0.isFinite })
            isStaircase = params.bool(Self.staircase)
            torch = Keras.isTorch(params)
            if params.hasIssues { return nil }
        }

        func value(at iteration: Int32) -> Float {
            let x = Keras.step(iteration)
            if torch {
                var p = x / steps
                if isStaircase { p.round(.down) }
                return initialValue * powf(rate, p)
            }
            var p = x * (1 / steps)
            if isStaircase { p.round(.down) }
            return XLA.flush(XLA.flush(XLA.pow(rate, p)) * initialValue)
        }
    }
}
