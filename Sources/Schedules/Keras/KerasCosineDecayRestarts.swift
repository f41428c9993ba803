import Float32Math

#if canImport(Glibc)
import Glibc
#endif

extension Keras {
    /// `keras.optimizers.schedules.CosineDecayRestarts(initial_learning_rate,
    /// first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0)`: cosine decays that restart, cycle
    /// i lasting `first_decay_steps * t_mul^i` steps and peaking at `initial * m_mul^i`.
    ///
    /// With `x = f32(step)`, `r = f32(1/first_decay_steps)`, `t = f32(t_mul)`: when `t == 1`,
    /// `i = floor(x * r)` and the fraction is `x * r - i`; otherwise
    /// `i = floor(log(1 - x * r * (1 - t)) / log(t))` and the fraction is
    /// `(x * r - (1 - t^i) / (1 - t)) / t^i`. Then `m_mul^i * 0.5 * (1 + cos(pi * fraction))`,
    /// scaled by `1 - alpha` plus `alpha`, times `initial`.
    ///
    /// jax replays the expressions XLA runs inside the train step: `log` is XLA's own
    /// (`XLA.log`), on `fma(-x, f32(r * f32(1 - t)), 1)`; `/ log(t)` a multiply by
    /// `f32(1 / logf(t))`; the powers glibc `powf` (`t^-i` for the division); the fraction
    /// `(x * r + (1 - t^i) * f32(-1/(1 - t))) * t^-i` with the first product fused; the last
    /// steps `fma((m^i * 0.5) * (c + 1), f32(1 - f32(alpha)), f32(alpha)) * f32(initial)`.
    /// torch: the formula op by op, with glibc `logf`/`cosf` standing in for MKL's (`exact: false`).
    /// Source: `keras/src/optimizers/schedules/learning_rate_schedule.py`.
    struct CosineDecayRestarts: KerasClosedForm {
        static let name = "CosineDecayRestarts"
        static let summary = "cosine decays with warm restarts, each cycle t_mul times longer and m_mul times lower"
        static let initial = Parameter.float(
            "initial_learning_rate",
            "a number (read as a float)",
            "the learning rate at step 0"
        )
        static let firstDecaySteps = Parameter.float(
            "first_decay_steps",
            "a positive number",
            "steps of the first cycle"
        )
        static let tMul = Parameter.float(
            "t_mul",
            default: 2.0,
            "a number",
            "each cycle's length over the previous one's"
        )
        static let mMul = Parameter.float(
            "m_mul",
            default: 1.0,
            "a number",
            "each cycle's peak over the previous one's"
        )
        static let alpha = Parameter.float("alpha", default: 0.0, "a number", "the minimum as a fraction of the peak")
        static let parameters = [initial, firstDecaySteps, tMul, mMul, alpha]
        let initialValue: Float
        let steps: Float
        let t: Float
        let m: Float
        let alphaValue: Float
        let torch: Bool

        init?(decoding params: inout ParamsReader) {
            initialValue = Keras.initialRate(Self.initial, &params)
            steps = Keras.positiveSteps(Self.firstDecaySteps, &params)
            t = Float(params.double(Self.tMul) { $0.isFinite })
            m = Float(params.double(Self.mMul) { $0.isFinite })
            alphaValue = Float(params.double(Self.alpha) { $0.isFinite })
            torch = Keras.isTorch(params)
            if params.hasIssues { return nil }
        }

        var warnings: [String] {
            torch
                ? [
                    "torch computes cos and log with Intel MKL, which lrsched replaces by glibc cosf and logf: values can differ in the last few bits, and near a restart the cycle can change a step early or late (see README for the measured distribution)"
                ]
                : []
        }

        var isExact: Bool { !torch }

        func value(at iteration: Int32) -> Float {
            torch ? eager(Keras.step(iteration)) : jit(Keras.step(iteration))
        }

        func jit(_ x: Float) -> Float {
            let r = 1 / steps
            let restart: Float
            let fraction: Float
            if t == 1 {
                let f = x * r
                restart = f.rounded(.down)
                fraction = (f - restart) * Float(Double.pi)
            } else {
                let q = 1 - t
                let lg = XLA.log(Float(1).addingProduct(-x, r * q))
                restart = (lg * (1 / logf(t))).rounded(.down)
                let sum = XLA.flush((1 - XLA.pow(t, restart)) * -(1 / q))
                fraction = (XLA.pow(t, -restart) * sum.addingProduct(x, r)) * Float(Double.pi)
            }
            let c = XLA.cos(fraction) + 1
            let decayed = (XLA.pow(m, restart) * 0.5) * c
            if alphaValue == 0 { return XLA.flush(decayed * initialValue) }
            return XLA.flush(alphaValue.addingProduct(decayed, 1 - alphaValue) * initialValue)
        }

        func eager(_ x: Float) -> Float {
            let completed = x / steps
            let restart: Float
            var fraction: Float
            if t == 1 {
                restart = completed.rounded(.down)
                fraction = completed - restart
            } else {
                restart = (logf(1 - completed * (1 - t)) / logf(t)).rounded(.down)
                let sum = (1 - powf(t, restart)) / (1 - t)
                fraction = (completed - sum) / powf(t, restart)
            }
            let cosine = 0.5 * powf(m, restart) * (1 + cosf(Float(Double.pi) * fraction))
            return initialValue * ((1 - alphaValue) * cosine + alphaValue)
        }
    }
}
