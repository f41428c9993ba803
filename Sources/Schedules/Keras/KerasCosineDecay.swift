import Float32Math

#if canImport(Glibc)
import Glibc
#endif

extension Keras {
    /// `keras.optimizers.schedules.CosineDecay(initial_learning_rate, decay_steps, alpha=0.0,
    /// warmup_target=None, warmup_steps=0)`: with a `warmup_target`, linear from
    /// `initial_learning_rate` to it over `warmup_steps`; then
    /// `lr * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)` with `s` the steps
    /// since the warm-up, capped at `decay_steps`, and `lr` the warm-up target (or the initial
    /// rate).
    ///
    /// jax, with `s = min(x, D [+ W])`: warm-up `fma(s, f32((f32(target) - f32(init)) *
    /// f32(1/W)), f32(init))`; decay `c = cosf((s - W) * f32(f32(pi) * f32(1/D))) + 1`, then
    /// `c * f32(0.5 * lr)` when `alpha` is 0, otherwise `fma(c, 0.5 * f32(1 - alpha),
    /// f32(alpha)) * f32(lr)`. torch: the same formula op by op with IEEE divisions; torch's
    /// `cos` is MKL's, for which glibc `cosf` stands in, so those answers say `exact: false`.
    /// Source: `keras/src/optimizers/schedules/learning_rate_schedule.py`.
    struct CosineDecay: KerasClosedForm {
        static let name = "CosineDecay"
        static let summary =
            "optional linear warm-up to warmup_target, then cosine decay to alpha × that over decay_steps"
        static let initial = Parameter.float(
            "initial_learning_rate",
            "a number (read as a float)",
            "the learning rate at step 0"
        )
        static let decaySteps = Parameter.float("decay_steps", "a positive number", "steps of the cosine decay")
        static let alpha = Parameter.float(
            "alpha",
            default: 0.0,
            "a number",
            "the final rate as a fraction of the decay's start"
        )
        static let warmupTarget = Parameter(
            "warmup_target",
            type: "float",
            default: .none,
            constraint: "a number or null (no warm-up)",
            meaning: "the rate the warm-up reaches, where the decay starts"
        )
        static let warmupSteps = Parameter.float("warmup_steps", default: 0, "a number", "steps of the warm-up")
        static let parameters = [initial, decaySteps, alpha, warmupTarget, warmupSteps]
        let initialValue: Float
        let steps: Float
        let alphaValue: Double
        let warmup: (target: Float, steps: Float)?
        let torch: Bool

        init?(decoding params: inout ParamsReader) {
            initialValue = Keras.initialRate(Self.initial, &params)
            steps = Keras.positiveSteps(Self.decaySteps, &params)
            alphaValue = params.double(Self.alpha) { $0.isFinite }
            let target = params.optionalDouble(Self.warmupTarget) { $0.isFinite }
            let warmupSteps = params.double(Self.warmupSteps) { $0.isFinite }
            torch = Keras.isTorch(params)
            if params.hasIssues { return nil }
            warmup = target.map { (Float($0), Float(warmupSteps)) }
        }

        var warnings: [String] {
            torch
                ? [
                    "torch computes cos with Intel MKL, which lrsched replaces by glibc cosf: values can differ in the last few bits (see README for the measured distribution)"
                ] : []
        }

        var isExact: Bool { !torch }

        func value(at iteration: Int32) -> Float {
            let x = Keras.step(iteration)
            guard let warmup else {
                return decay(XLA.minimum(x, steps), from: initialValue)
            }
            let s = XLA.minimum(x, steps + warmup.steps)
            if s < warmup.steps {
                if torch { return (warmup.target - initialValue) * (s / warmup.steps) + initialValue }
                return initialValue.addingProduct(s, (warmup.target - initialValue) * (1 / warmup.steps))
            }
            return decay(s - warmup.steps, from: warmup.target)
        }

        /// The cosine part at `s` steps into the decay, from `lr`.
        func decay(_ s: Float, from lr: Float) -> Float {
            if torch {
                let cosine = 0.5 * (1 + cosf(Float(Double.pi) * (s / steps)))
                let decayed = Float(1 - alphaValue) * cosine + Float(alphaValue)
                return lr * decayed
            }
            let c = XLA.cos(s * (Float(Double.pi) * (1 / steps))) + 1
            if alphaValue == 0 { return XLA.flush(c * (Float(0.5) * lr)) }
            return XLA.flush(Float(alphaValue).addingProduct(c, Float(0.5) * Float(1 - alphaValue)) * lr)
        }
    }
}
