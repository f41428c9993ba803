#if canImport(Glibc)
import Glibc
#endif

extension Optax {
    /// `optax.cosine_decay_schedule(init_value, decay_steps, alpha=0.0, exponent=1.0)`:
    /// `init * ((1 - alpha) * (0.5 * (1 + cos(pi * min(count, D) / D))) + alpha)`.
    ///
    /// Under jit XLA runs, with `x = min(f32(count), f32(D))` and `w = f32(pi) * f32(1/D)`:
    /// `(1 + cosf(x * w)) * f32(0.5 * init)` when `alpha` is 0, otherwise
    /// `fma(1 + cosf(x * w), 0.5 * f32(1 - alpha), f32(alpha)) * f32(init)`. Only `exponent` 1.0
    /// is reproduced (another exponent changes the expression XLA builds and is refused until it
    /// is modelled). Source: `optax/schedules/_schedule.py`.
    struct CosineDecaySchedule: OptaxClosedForm {
        static let name = "cosine_decay_schedule"
        static let summary = "cosine decay from init_value to alpha × init_value over decay_steps"
        static let initValue = Parameter.float("init_value", "a number", "the value at step 0")
        static let decaySteps = Parameter.int(
            "decay_steps",
            "a positive integer",
            "steps of the decay",
            acceptsIntegralFloat: false
        )
        static let alpha = Parameter.float(
            "alpha",
            default: 0.0,
            "a number",
            "the final value as a fraction of init_value"
        )
        static let exponent = Parameter.float(
            "exponent",
            default: 1.0,
            "1.0 (other exponents are not reproduced yet)",
            "the power of the cosine term"
        )
        static let parameters = [initValue, decaySteps, alpha, exponent]
        let initial: Double
        let steps: Int32
        let alphaValue: Double

        init?(decoding params: inout ParamsReader) {
            initial = params.double(Self.initValue) { $0.isFinite }
            let decay = params.int(Self.decaySteps, in: Optax.int32s)
            if decay <= 0 {
                params.record(
                    Self.decaySteps.name,
                    "must be a positive integer: optax raises ValueError: The cosine_decay_schedule requires positive decay_steps, got decay_steps=\(decay)"
                )
            }
            steps = Int32(max(1, decay))
            alphaValue = params.double(Self.alpha) { $0.isFinite }
            _ = params.double(Self.exponent) { $0 == 1 }
            if params.hasIssues { return nil }
        }

        func value(at count: Int32) -> Float {
            let x = min(Float(count), Float(steps))
            let w = Float(Double.pi) * (Float(1) / Float(steps))
            let one = cosf(x * w) + 1
            if alphaValue == 0 {
                return one * (Float(0.5) * Optax.f32(initial))
            }
            let scaled = Optax.f32(alphaValue).addingProduct(one, Float(0.5) * Optax.f32(1 - alphaValue))
            return scaled * Optax.f32(initial)
        }
    }
}
