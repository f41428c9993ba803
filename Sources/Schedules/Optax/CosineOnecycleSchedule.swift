extension Optax {
    /// `optax.cosine_onecycle_schedule(transition_steps, peak_value, pct_start=0.3,
    /// div_factor=25.0, final_div_factor=1e4)`: half a cosine from `peak / div_factor` up to
    /// `peak` at `int(pct_start * T)`, then down to `peak / (div_factor * final_div_factor)` at `T`.
    ///
    /// It is `piecewise_interpolate_schedule("cosine", peak / div_factor, {int(pct_start * T):
    /// div_factor, int(T): 1 / (div_factor * final_div_factor)})` (see `OptaxInterpolation`).
    /// Source: `optax/schedules/_schedule.py`.
    struct CosineOnecycleSchedule: OptaxClosedForm {
        static let name = "cosine_onecycle_schedule"
        static let summary = "one cycle: half a cosine up to peak_value, then half a cosine down to a small final value"
        static let parameters = [
            OptaxOnecycle.transitionSteps, OptaxOnecycle.peakValue, OptaxOnecycle.pctStart,
            OptaxOnecycle.divFactor, OptaxOnecycle.finalDivFactor,
        ]
        let interpolation: OptaxInterpolation

        init?(decoding params: inout ParamsReader) {
            let steps = OptaxOnecycle.steps(&params)
            let peak = params.double(OptaxOnecycle.peakValue) { $0.isFinite }
            let pctStart = params.double(OptaxOnecycle.pctStart) { $0.isFinite }
            let div = OptaxOnecycle.nonZero(OptaxOnecycle.divFactor, &params)
            let finalDiv = OptaxOnecycle.nonZero(OptaxOnecycle.finalDivFactor, &params)
            guard let steps, !params.hasIssues else { return nil }
            let boundaries = OptaxOnecycle.boundaries([
                (pctStart * Double(steps), div),
                (Double(steps), 1 / (div * finalDiv)),
            ])
            guard let interpolation = OptaxOnecycle.interpolation(.cosine, peak / div, boundaries, &params) else {
                return nil
            }
            self.interpolation = interpolation
        }

        func value(at count: Int32) -> Float { interpolation.value(at: count) }
    }
}
