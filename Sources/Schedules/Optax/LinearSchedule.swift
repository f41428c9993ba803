extension Optax {
    /// `optax.linear_schedule(init_value, end_value, transition_steps, transition_begin=0)`, which
    /// is `polynomial_schedule(power=1)`: `(init - end) * (1 - c / transition_steps) + end` (see
    /// `OptaxTransition`). Under jit XLA runs
    /// `fma(fma(-f32(c), f32(1/T), 1), f32(init - end), f32(end))`, so the last value is not
    /// exactly `end`: `linear_schedule(0.1, 0, 1000)` ends at −4.7e-9, as in JAX.
    /// Source: `optax/schedules/_schedule.py`.
    struct LinearSchedule: OptaxClosedForm {
        static let name = "linear_schedule"
        static let summary = "linear from init_value to end_value over transition_steps, after transition_begin"
        static let parameters = [
            OptaxTransition.initValue, OptaxTransition.endValue, OptaxTransition.transitionSteps,
            OptaxTransition.transitionBegin,
        ]
        let transition: OptaxTransition

        init?(decoding params: inout ParamsReader) {
            let endpoints = OptaxTransition.endpoints(&params)
            transition = OptaxTransition(endpoints: endpoints, decoding: &params)
            if params.hasIssues { return nil }
        }

        func value(at count: Int32) -> Float {
            transition.value(at: count) { $0 }
        }
    }
}
