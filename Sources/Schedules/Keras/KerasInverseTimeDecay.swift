import Float32Math

extension Keras {
    /// `keras.optimizers.schedules.InverseTimeDecay(initial_learning_rate, decay_steps,
    /// decay_rate, staircase=False)`: `initial / (1 + decay_rate * step / decay_steps)`, the
    /// quotient floored when `staircase`.
    ///
    /// jax: `f32(initial) / fma(x, f32(rate * f32(1/D)), 1)` (XLA folds the two constants), or
    /// with `staircase` `f32(initial) / fma(floor(x * f32(1/D)), f32(rate), 1)`. torch:
    /// `initial / (1 + rate * p)` op by op with `p = x / D`.
    /// Source: `keras/src/optimizers/schedules/learning_rate_schedule.py`.
    struct InverseTimeDecay: KerasClosedForm {
        static let name = "InverseTimeDecay"
        static let summary = "initial_learning_rate / (1 + decay_rate × step / decay_steps), optionally staircased"
        static let initial = Parameter.float(
            "initial_learning_rate",
            "a number (read as a float)",
            "the learning rate at step 0"
        )
        static let decaySteps = Parameter.float("decay_steps", "a positive number", "steps per unit of decay")
        static let decayRate = Parameter.float("decay_rate", "a number", "how fast the rate falls")
        static let staircase = Parameter.bool("staircase", default: false, "decay in whole units every decay_steps")
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
                return initialValue / (1 + rate * p)
            }
            let r = 1 / steps
            if isStaircase {
                return XLA.flush(initialValue / Float(1).addingProduct((x * r).rounded(.down), rate))
            }
            return XLA.flush(initialValue / Float(1).addingProduct(x, rate * r))
        }
    }
}
