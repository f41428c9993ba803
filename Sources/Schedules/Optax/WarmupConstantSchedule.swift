extension Optax {
    /// `optax.warmup_constant_schedule(init_value, peak_value, warmup_steps)`:
    /// `linear_schedule(init_value, peak_value, warmup_steps)`, then `peak_value` (see
    /// `OptaxTransition`). Source: `optax/schedules/_schedule.py`.
    struct WarmupConstantSchedule: OptaxClosedForm {
        static let name = "warmup_constant_schedule"
        static let summary = "linear warm-up from init_value to peak_value, then constant"
        static let parameters = [OptaxWarmup.initValue, OptaxWarmup.peakValue, OptaxWarmup.warmupSteps]
        let warmup: OptaxTransition

        init?(decoding params: inout ParamsReader) {
            guard let warmup = OptaxWarmup.transition(&params) else { return nil }
            self.warmup = warmup
        }

        func value(at count: Int32) -> Float { warmup.value(at: count) { $0 } }
    }
}

/// The linear warm-up the `warmup_*` schedules start with: `linear_schedule(init_value,
/// peak_value, warmup_steps)`.
enum OptaxWarmup {
    static let initValue = Parameter.float("init_value", "a number", "the value at step 0")
    static let peakValue = Parameter.float("peak_value", "a number", "the value at the end of the warm-up")
    static let warmupSteps = Parameter.int(
        "warmup_steps",
        "an integer (not positive: no warm-up)",
        "steps of the linear warm-up",
        acceptsIntegralFloat: false
    )

    /// Reads `init_value`, `peak_value` and `warmup_steps`.
    static func read(_ params: inout ParamsReader) -> (initial: Double, peak: Double, steps: Int32) {
        let initial = params.double(initValue) { $0.isFinite }
        let peak = params.double(peakValue) { $0.isFinite }
        let steps = params.int(warmupSteps, in: Optax.int32s)
        return (initial, peak, Int32(steps))
    }

    /// The warm-up alone (`warmup_constant_schedule`).
    static func transition(_ params: inout ParamsReader) -> OptaxTransition? {
        let (initial, peak, steps) = read(&params)
        guard !params.hasIssues else { return nil }
        return OptaxTransition(initial: initial, end: peak, steps: steps, begin: 0, mode: Optax.mode(params))
    }
}
