extension Optax {
    /// `optax.warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps,
    /// end_value=0.0, exponent=1.0)`: `join_schedules([linear_schedule(init_value, peak_value,
    /// warmup_steps), cosine_decay_schedule(peak_value, decay_steps - warmup_steps,
    /// alpha=end_value / peak_value, exponent)], [warmup_steps])`, alpha being 0 when
    /// `peak_value` is 0. `decay_steps` must exceed `warmup_steps`. See `OptaxTransition`,
    /// `OptaxCosine` and `OptaxJoin`. Source: `optax/schedules/_schedule.py`.
    struct WarmupCosineDecaySchedule: OptaxClosedForm {
        static let name = "warmup_cosine_decay_schedule"
        static let summary =
            "linear warm-up from init_value to peak_value, then cosine decay to end_value at decay_steps"
        static let decaySteps = Parameter.int(
            "decay_steps",
            "an integer greater than warmup_steps",
            "the step at which the decay ends, warm-up included",
            acceptsIntegralFloat: false
        )
        static let endValue = Parameter.float("end_value", default: 0.0, "a number", "the value at decay_steps")
        static let exponent = Parameter.float(
            "exponent",
            default: 1.0,
            "a number (an integer is Python's int: repeated squaring, as optax computes it)",
            "the power of the cosine term"
        )
        static let parameters = [
            OptaxWarmup.initValue, OptaxWarmup.peakValue, OptaxWarmup.warmupSteps, decaySteps, endValue, exponent,
        ]
        let warmup: OptaxTransition
        let boundary: Int32
        let decay: OptaxCosine
        /// `decay_steps`, the warm-up included.
        let decaySteps: Int

        init?(decoding params: inout ParamsReader) {
            let (initial, peak, warmupSteps) = OptaxWarmup.read(&params)
            let decaySteps = params.int(Self.decaySteps, in: Optax.int32s)
            let end = params.double(Self.endValue) { $0.isFinite }
            let exponent = OptaxPower(Self.exponent, &params)
            guard !params.hasIssues else { return nil }
            let cosineSteps = decaySteps - Int(warmupSteps)
            guard cosineSteps > 0, let steps = Int32(exactly: cosineSteps) else {
                params.record(
                    Self.decaySteps.name,
                    "must be greater than warmup_steps (\(warmupSteps)): optax raises ValueError: The cosine_decay_schedule requires positive decay_steps, got decay_steps=\(cosineSteps)"
                )
                return nil
            }
            let mode = Optax.mode(params)
            warmup = OptaxTransition(initial: initial, end: peak, steps: warmupSteps, begin: 0, mode: mode)
            boundary = warmupSteps
            self.decaySteps = decaySteps
            decay = OptaxCosine(
                initial: peak,
                steps: steps,
                alpha: peak == 0 ? 0 : end / peak,
                exponent: exponent,
                mode: mode
            )
        }

        func value(at count: Int32) -> Float {
            count < boundary ? warmup.value(at: count) { $0 } : decay.value(at: count &- boundary)
        }
    }
}
