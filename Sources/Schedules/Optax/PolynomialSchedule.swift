import Float32Math
import JSON

#if canImport(Glibc)
import Glibc
#endif

extension Optax {
    /// `optax.polynomial_schedule(init_value, end_value, power, transition_steps,
    /// transition_begin=0)`: `c = clip(count - transition_begin, 0, transition_steps)`,
    /// `(init - end) * (1 - c / transition_steps) ** power + end`.
    ///
    /// Under jit: the fraction `f` of `OptaxTransition`, then `f ** power` (repeated squaring for
    /// a JSON integer power, Python `int` and `lax.integer_pow`; for a float power XLA's
    /// specialisations 0, 0.5, 1, 2, 3, -1 or glibc `powf`), then
    /// `fma(f ** power, f32(init - end), f32(end))`. Because `1 - T·f32(1/T)` can
    /// be slightly negative, a non-integral power gives NaN from `count == transition_steps` on for
    /// about half of all lengths, as it does in JAX: the answer is then a 422 naming that step.
    /// Source: `optax/schedules/_schedule.py`.
    struct PolynomialSchedule: OptaxClosedForm {
        static let name = "polynomial_schedule"
        static let summary = "polynomial from init_value to end_value over transition_steps, after transition_begin"
        static let power = Parameter.float("power", "a number", "the power of the polynomial")
        static let parameters = [
            OptaxTransition.initValue, OptaxTransition.endValue, power, OptaxTransition.transitionSteps,
            OptaxTransition.transitionBegin,
        ]
        let transition: OptaxTransition
        let exponent: OptaxPower

        init?(decoding params: inout ParamsReader) {
            let endpoints = OptaxTransition.endpoints(&params)
            exponent = OptaxPower(Self.power, &params)
            transition = OptaxTransition(endpoints: endpoints, decoding: &params)
            if params.hasIssues { return nil }
        }

        func value(at count: Int32) -> Float {
            transition.value(at: count) { exponent.apply($0, mode: transition.mode) }
        }
    }

    /// `x ** n` for a Python int `n`: `lax.integer_pow`, repeated squaring (a reciprocal for a
    /// negative `n`).
    static func integerPower(_ x: Float, _ n: Int) -> Float {
        var remaining = n.magnitude
        var base = x
        var result: Float?
        while remaining > 0 {
            if remaining & 1 == 1 { result = result.map { $0 * base } ?? base }
            remaining >>= 1
            if remaining > 0 { base = base * base }
        }
        let positive = result ?? 1
        return n < 0 ? 1 / positive : positive
    }
}
