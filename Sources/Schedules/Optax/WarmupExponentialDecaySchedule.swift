extension Optax {
    /// `optax.warmup_exponential_decay_schedule(init_value, peak_value, warmup_steps,
    /// transition_steps, decay_rate, transition_begin=0, staircase=False, end_value=None)`:
    /// `join_schedules([linear_schedule(init_value, peak_value, warmup_steps),
    /// exponential_decay(peak_value, transition_steps, decay_rate, transition_begin, staircase,
    /// end_value)], [warmup_steps])`. See `OptaxTransition`, `OptaxExponential` and `OptaxJoin`.
    /// Source: `optax/schedules/_schedule.py`.
    struct WarmupExponentialDecaySchedule: OptaxClosedForm {
        static let name = "warmup_exponential_decay_schedule"
        static let summary = "linear warm-up from init_value to peak_value, then exponential decay"
        static let transitionSteps = Parameter.int(
            "transition_steps",
            "an integer (not positive: the value stays peak_value after the warm-up)",
            "steps per factor of decay_rate",
            acceptsIntegralFloat: false
        )
        static let decayRate = Parameter.float(
            "decay_rate",
            "a number (0: the value stays peak_value after the warm-up)",
            "the factor per transition_steps"
        )
        static let parameters = [
            OptaxWarmup.initValue, OptaxWarmup.peakValue, OptaxWarmup.warmupSteps, transitionSteps, decayRate,
            ExponentialDecay.transitionBegin, ExponentialDecay.staircase, ExponentialDecay.endValue,
        ]
        let warmup: OptaxTransition
        let boundary: Int32
        let peak: Double
        /// The decay, or nil for the constant `peak_value`.
        let decay: OptaxExponential?

        init?(decoding params: inout ParamsReader) {
            let (initial, peak, warmupSteps) = OptaxWarmup.read(&params)
            let steps = params.int(Self.transitionSteps, in: Optax.int32s)
            let rate = params.double(Self.decayRate) { $0.isFinite }
            let begin = params.int(ExponentialDecay.transitionBegin, in: Optax.int32s)
            let staircase = params.bool(ExponentialDecay.staircase)
            let end = params.optionalDouble(ExponentialDecay.endValue) { $0.isFinite }
            guard !params.hasIssues else { return nil }
            let mode = Optax.mode(params)
            warmup = OptaxTransition(initial: initial, end: peak, steps: warmupSteps, begin: 0, mode: mode)
            boundary = warmupSteps
            self.peak = peak
            decay = OptaxExponential(
                initial: peak,
                steps: Int32(steps),
                rate: rate,
                begin: Int32(begin),
                staircase: staircase,
                end: end,
                mode: mode
            )
        }

        func value(at count: Int32) -> Float {
            guard count >= boundary else { return warmup.value(at: count) { $0 } }
            return decay?.value(at: count &- boundary) ?? Optax.f32(peak)
        }
    }
}
