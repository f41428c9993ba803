import Float32Math

#if canImport(Glibc)
import Glibc
#endif

extension Keras {
    /// `keras.optimizers.schedules.PolynomialDecay(initial_learning_rate, decay_steps,
    /// end_learning_rate=0.0001, power=1.0, cycle=False)`:
    /// `(initial - end) * (1 - step / decay_steps) ** power + end`, the step capped at
    /// `decay_steps`, or with `cycle` the decay length stretched to the next multiple of
    /// `decay_steps`.
    ///
    /// jax: the fraction is `fma(-min(x, D), f32(1/D), 1)` (with `cycle`,
    /// `1 - x / (D * ceil(x * f32(1/D)))`, a true division), then `f ** power` with XLA's
    /// specialisations of a constant float32 power (0, 0.5, 1, 2, 3, -1) or glibc `powf`, then
    /// `fma(f ** power, f32(initial) - f32(end), f32(end))`. Because the fused fraction can end
    /// slightly below 0, a non-integral power gives NaN at and after `decay_steps` for about half
    /// of all lengths, as under jax: the answer is then a 422 naming that step.
    /// torch: `1 - x / D` and `(initial - end) * powf(f, power) + end` op by op.
    /// Source: `keras/src/optimizers/schedules/learning_rate_schedule.py`.
    struct PolynomialDecay: KerasClosedForm {
        static let name = "PolynomialDecay"
        static let summary = "polynomial decay from initial_learning_rate to end_learning_rate over decay_steps"
        static let initial = Parameter.float(
            "initial_learning_rate",
            "a number (read as a float)",
            "the learning rate at step 0"
        )
        static let decaySteps = Parameter.float("decay_steps", "a positive number", "steps of the decay")
        static let end = Parameter.float(
            "end_learning_rate",
            default: 0.0001,
            "a number",
            "the learning rate at and after decay_steps"
        )
        static let power = Parameter.float("power", default: 1.0, "a number", "the power of the polynomial")
        static let cycle = Parameter.bool("cycle", default: false, "restart the decay at each multiple of decay_steps")
        static let parameters = [initial, decaySteps, end, power, cycle]
        let initialValue: Float
        let steps: Float
        let endValue: Float
        let exponent: Float
        let cycles: Bool
        let torch: Bool

        init?(decoding params: inout ParamsReader) {
            initialValue = Keras.initialRate(Self.initial, &params)
            steps = Keras.positiveSteps(Self.decaySteps, &params)
            endValue = Float(params.double(Self.end) { $0.isFinite })
            exponent = Float(params.double(Self.power) { $0.isFinite })
            cycles = params.bool(Self.cycle)
            torch = Keras.isTorch(params)
            if params.hasIssues { return nil }
        }

        func value(at iteration: Int32) -> Float {
            let x = Keras.step(iteration)
            let difference = initialValue - endValue
            if torch {
                var length = steps
                var s = x
                if cycles {
                    length = steps * (x == 0 ? 1 : (x / steps).rounded(.up))
                } else {
                    s = Swift.min(x, steps)
                }
                let f = 1 - s / length
                return difference * powf(f, exponent) + endValue
            }
            let f: Float
            if cycles {
                let multiplier = x == 0 ? 1 : (x * (1 / steps)).rounded(.up)
                f = 1 - x / (multiplier * steps)
            } else {
                f = Float(1).addingProduct(-XLA.minimum(x, steps), 1 / steps)
            }
            return XLA.flush(endValue.addingProduct(XLA.flush(XLA.power(f, constant: Double(exponent))), difference))
        }
    }
}
