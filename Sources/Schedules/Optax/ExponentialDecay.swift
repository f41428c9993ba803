import Float32Math

#if canImport(Glibc)
import Glibc
#endif

extension Optax {
    /// `optax.exponential_decay(init_value, transition_steps, decay_rate, transition_begin=0,
    /// staircase=False, end_value=None)`: with `d = count - transition_begin`,
    /// `init if d <= 0 else init * decay_rate ** (d / transition_steps)` (the exponent floored
    /// when `staircase`), then clipped at `end_value` from below when `decay_rate < 1`, from above
    /// otherwise.
    ///
    /// Under jit: `p = f32(d) * f32(1/T)`, `floor(p)` for the staircase,
    /// `XLA.pow(f32(decay_rate), p) * f32(init)` (the power with a variable exponent is glibc's
    /// `powf`; subnormal results flushed to 0 as XLA's CPU kernels do; eager on one step divides
    /// `f32(d) / f32(T)`), then XLA's NaN-propagating `maximum`/`minimum` with `f32(end_value)`. A
    /// non-positive `transition_steps` or a zero `decay_rate` make the constant `init_value`; a
    /// negative `transition_begin` counts as 0. Source: `optax/schedules/_schedule.py`.
    struct ExponentialDecay: OptaxClosedForm {
        static let name = "exponential_decay"
        static let summary =
            "init_value × decay_rate^(steps / transition_steps), optionally staircased and clipped at end_value"
        static let initValue = Parameter.float("init_value", "a number", "the value before the decay")
        static let transitionSteps = Parameter.int(
            "transition_steps",
            "an integer (not positive: the value stays init_value)",
            "steps per factor of decay_rate",
            acceptsIntegralFloat: false
        )
        static let decayRate = Parameter.float(
            "decay_rate",
            "a number (0: the value stays init_value)",
            "the factor per transition_steps"
        )
        static let transitionBegin = Parameter.int(
            "transition_begin",
            default: 0,
            "an integer (negative counts as 0)",
            "steps before the decay starts",
            acceptsIntegralFloat: false
        )
        static let staircase = Parameter.bool(
            "staircase",
            default: false,
            "decay in whole factors every transition_steps"
        )
        static let endValue = Parameter(
            "end_value",
            type: "float",
            default: .none,
            constraint: "a number or null",
            meaning: "the bound the value does not pass (a floor when decay_rate < 1, a ceiling otherwise)"
        )
        static let parameters = [initValue, transitionSteps, decayRate, transitionBegin, staircase, endValue]

        /// The decay, or nil for the constant `init_value`.
        let decay: OptaxExponential?
        let initial: Double

        init?(decoding params: inout ParamsReader) {
            initial = params.double(Self.initValue) { $0.isFinite }
            let steps = params.int(Self.transitionSteps, in: Optax.int32s)
            let rate = params.double(Self.decayRate) { $0.isFinite }
            let begin = params.int(Self.transitionBegin, in: Optax.int32s)
            let staircase = params.bool(Self.staircase)
            let end = params.optionalDouble(Self.endValue) { $0.isFinite }
            if params.hasIssues { return nil }
            decay = OptaxExponential(
                initial: initial,
                steps: Int32(steps),
                rate: rate,
                begin: Int32(begin),
                staircase: staircase,
                end: end,
                mode: Optax.mode(params)
            )
        }

        func value(at count: Int32) -> Float {
            decay?.value(at: count) ?? Optax.f32(initial)
        }
    }
}

/// The decay of `exponential_decay` (also the second part of
/// `warmup_exponential_decay_schedule`), for a positive `transition_steps` and a non-zero rate.
struct OptaxExponential: Sendable {
    let initial: Float
    let rate: Float
    let reciprocal: Float
    let begin: Int32
    let staircase: Bool
    /// `f32(end_value)` and whether it is a floor (`decay_rate < 1`) or a ceiling.
    let end: (value: Float, isFloor: Bool)?
    let steps: Float
    let mode: OptaxMode

    /// Nil where optax returns the constant `init_value` instead.
    init?(initial: Double, steps: Int32, rate: Double, begin: Int32, staircase: Bool, end: Double?, mode: OptaxMode) {
        guard steps > 0, rate != 0 else { return nil }
        self.steps = Float(steps)
        self.mode = mode
        self.initial = Optax.f32(initial)
        self.rate = Optax.f32(rate)
        self.reciprocal = Optax.reciprocal(steps)
        self.begin = max(0, begin)
        self.staircase = staircase
        self.end = end.map { (Optax.f32($0), rate < 1) }
    }

    func value(at count: Int32) -> Float {
        let d = count &- begin
        var decayed = initial
        if d > 0 {
            var p = mode == .eager ? XLA.convert(d) / steps : XLA.convert(d) * reciprocal
            if staircase { p.round(.down) }
            decayed = XLA.flush(XLA.flush(XLA.pow(rate, p)) * initial)
        }
        guard let end else { return decayed }
        return end.isFloor ? XLA.maximum(decayed, end.value) : XLA.minimum(decayed, end.value)
    }
}
