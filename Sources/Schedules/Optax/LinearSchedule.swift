extension Optax {
    /// `optax.linear_schedule(init_value, end_value, transition_steps, transition_begin=0)`, which
    /// is `polynomial_schedule(power=1)`:
    /// `c = clip(count - transition_begin, 0, transition_steps)`,
    /// `(init - end) * (1 - c / transition_steps) + end`.
    ///
    /// Under jit XLA runs `fma(fma(-f32(c), f32(1/T), 1), f32(init - end), f32(end))` (the
    /// difference `init - end` is Python float64 arithmetic, then a float32 constant). So the
    /// last value is not exactly `end`: `1 - T * f32(1/T)` need not be 0 (for T = 1000 it is
    /// −4.7e-8, and `linear_schedule(0.1, 0, 1000)` ends at −4.7e-9). A non-positive
    /// `transition_steps` gives the constant `init_value`; a negative `transition_begin` counts
    /// as 0. Source: `optax/schedules/_schedule.py`.
    struct LinearSchedule: OptaxClosedForm {
        static let name = "linear_schedule"
        static let summary = "linear from init_value to end_value over transition_steps, after transition_begin"
        static let initValue = Parameter.float("init_value", "a number", "the value before and at the start")
        static let endValue = Parameter.float("end_value", "a number", "the value at and after the end")
        static let transitionSteps = Parameter.int(
            "transition_steps",
            "an integer (not positive: the value stays init_value)",
            "steps from init_value to end_value",
            acceptsIntegralFloat: false
        )
        static let transitionBegin = Parameter.int(
            "transition_begin",
            default: 0,
            "an integer (negative counts as 0)",
            "steps before the transition starts",
            acceptsIntegralFloat: false
        )
        static let parameters = [initValue, endValue, transitionSteps, transitionBegin]
        let initial: Double
        let end: Double
        let steps: Int32
        let begin: Int32

        init?(decoding params: inout ParamsReader) {
            initial = params.double(Self.initValue) { $0.isFinite }
            end = params.double(Self.endValue) { $0.isFinite }
            steps = Int32(params.int(Self.transitionSteps, in: Optax.int32s))
            begin = Int32(max(0, params.int(Self.transitionBegin, in: Optax.int32s)))
            if params.hasIssues { return nil }
        }

        func value(at count: Int32) -> Float {
            guard steps > 0 else { return Optax.f32(initial) }
            let (shifted, overflow) = count.subtractingReportingOverflow(begin)
            let c = overflow ? (begin > 0 ? Int32.min : Int32.max) : shifted
            let x = Float(min(steps, max(0, c)))
            let reciprocal = Float(1) / Float(steps)
            let fraction = Float(1).addingProduct(-x, reciprocal)
            return Optax.f32(end).addingProduct(fraction, Optax.f32(initial - end))
        }
    }
}
