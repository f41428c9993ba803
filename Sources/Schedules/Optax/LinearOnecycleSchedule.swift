extension Optax {
    /// `optax.linear_onecycle_schedule(transition_steps, peak_value, pct_start=0.3,
    /// pct_final=0.85, div_factor=25.0, final_div_factor=1e4)`: linear from
    /// `peak / div_factor` up to `peak` at `int(pct_start * T)`, back down at `int(pct_final * T)`,
    /// then to `peak / (div_factor * final_div_factor)` at `T`.
    ///
    /// It is `piecewise_interpolate_schedule("linear", peak / div_factor, {int(pct_start * T):
    /// div_factor, int(pct_final * T): 1 / div_factor, T: 1 / final_div_factor})`, the keys and
    /// the quotients computed in Python floats, a repeated key keeping its last scale (see
    /// `OptaxInterpolation`). Source: `optax/schedules/_schedule.py`.
    struct LinearOnecycleSchedule: OptaxClosedForm {
        static let name = "linear_onecycle_schedule"
        static let summary = "one cycle: linear up to peak_value, down again, then to a small final value"
        static let parameters = [
            OptaxOnecycle.transitionSteps, OptaxOnecycle.peakValue, OptaxOnecycle.pctStart, pctFinal,
            OptaxOnecycle.divFactor, OptaxOnecycle.finalDivFactor,
        ]
        static let pctFinal = Parameter.float(
            "pct_final",
            default: 0.85,
            "a number",
            "the fraction of transition_steps at which the value is back at its start"
        )
        let interpolation: OptaxInterpolation

        init?(decoding params: inout ParamsReader) {
            let steps = OptaxOnecycle.steps(&params)
            let peak = params.double(OptaxOnecycle.peakValue) { $0.isFinite }
            let pctStart = params.double(OptaxOnecycle.pctStart) { $0.isFinite }
            let pctFinal = params.double(Self.pctFinal) { $0.isFinite }
            let div = OptaxOnecycle.nonZero(OptaxOnecycle.divFactor, &params)
            let finalDiv = OptaxOnecycle.nonZero(OptaxOnecycle.finalDivFactor, &params)
            guard let steps, !params.hasIssues else { return nil }
            let boundaries = OptaxOnecycle.boundaries([
                (pctStart * Double(steps), div),
                (pctFinal * Double(steps), 1 / div),
                (Double(steps), 1 / finalDiv),
            ])
            guard let interpolation = OptaxOnecycle.interpolation(.linear, peak / div, boundaries, &params) else {
                return nil
            }
            self.interpolation = interpolation
        }

        func value(at count: Int32) -> Float { interpolation.value(at: count) }
    }
}

/// What `linear_onecycle_schedule` and `cosine_onecycle_schedule` share: their parameters and
/// the dictionary they hand to `piecewise_interpolate_schedule`.
enum OptaxOnecycle {
    static let transitionSteps = Parameter.int(
        "transition_steps",
        "a positive integer",
        "steps of the whole cycle",
        acceptsIntegralFloat: false
    )
    static let peakValue = Parameter.float("peak_value", "a number", "the value at the top of the cycle")
    static let pctStart = Parameter.float(
        "pct_start",
        default: 0.3,
        "a number",
        "the fraction of transition_steps spent rising"
    )
    static let divFactor = Parameter.float(
        "div_factor",
        default: 25.0,
        "a non-zero number",
        "the start value is peak_value / div_factor"
    )
    static let finalDivFactor = Parameter.float(
        "final_div_factor",
        default: 1e4,
        "a non-zero number",
        "how far below the start value the cycle ends"
    )

    /// `transition_steps`, refusing a non-positive one as optax does.
    static func steps(_ params: inout ParamsReader) -> Int32? {
        let steps = params.int(transitionSteps, in: Optax.int32s)
        guard steps > 0 else {
            if !params.hasIssues {
                params.record(
                    transitionSteps.name,
                    "must be a positive integer: optax raises ValueError: A linear onecycle schedule was set with a non-positive `transition_steps`"
                )
            }
            return nil
        }
        return Int32(steps)
    }

    /// A divisor, refusing 0 (Python raises ZeroDivisionError).
    static func nonZero(_ p: Parameter, _ params: inout ParamsReader) -> Double {
        let value = params.double(p) { $0.isFinite }
        if value == 0 {
            params.record(p.name, "must not be 0: Python raises ZeroDivisionError: float division by zero")
        }
        return value
    }

    /// The `{int(step): scale}` dictionary, built as Python builds it: `int()` truncates, and a
    /// repeated key keeps its first position and its last scale.
    static func boundaries(_ entries: [(step: Double, scale: Double)]) -> [(step: Double, scale: Double)] {
        var result: [(step: Double, scale: Double)] = []
        for (step, scale) in entries {
            let key = step.rounded(.towardZero)
            if let i = result.firstIndex(where: { $0.step == key }) {
                result[i].scale = scale
            } else {
                result.append((key, scale))
            }
        }
        return result
    }

    /// The interpolation over `boundaries`, refusing what `piecewise_interpolate_schedule` refuses
    /// (negative scales) and steps outside int32.
    static func interpolation(
        _ kind: OptaxInterpolation.Kind,
        _ initial: Double,
        _ boundaries: [(step: Double, scale: Double)],
        _ params: inout ParamsReader
    ) -> OptaxInterpolation? {
        if boundaries.contains(where: { $0.scale < 0 }) {
            params.record(
                divFactor.name,
                "gives negative scales: optax raises ValueError: `piecewise_interpolate_schedule` expects non-negative scale factors"
            )
            return nil
        }
        let steps = boundaries.compactMap { Int32(exactly: $0.step) }
        guard steps.count == boundaries.count else {
            params.record(pctStart.name, "puts a boundary outside the int32 steps optax can count")
            return nil
        }
        let pairs = zip(steps, boundaries).map { (step: $0, scale: $1.scale) }.sorted { $0.step < $1.step }
        return OptaxInterpolation(kind, initial: initial, boundaries: pairs, decoding: &params)
    }
}
