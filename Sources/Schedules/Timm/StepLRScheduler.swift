import JSON

extension Timm {
    /// `timm.scheduler.StepLRScheduler(optimizer, decay_t, decay_rate=1., warmup_t=0,
    /// warmup_lr_init=0., warmup_prefix=True, t_in_epochs=True, noise_range_t=None, noise_pct=0.67,
    /// noise_std=1.0, noise_seed=42)`.
    ///
    /// `lr = v * decay_rate ** (t // decay_t)` (Python floor division: float when `decay_t` is a
    /// float). Unlike the other classes, `warmup_prefix` defaults to true.
    /// Source: `timm/scheduler/step_lr.py`.
    struct StepLRScheduler: TimmClosedForm {
        static let name = "StepLRScheduler"
        static let summary = "decay by decay_rate every decay_t steps, with warm-up and noise"
        static let decayT = Parameter(
            "decay_t",
            type: "float",
            default: .required,
            constraint: "a number",
            meaning: "steps between decays (may be fractional)"
        )
        static let decayRate = Parameter.float("decay_rate", default: 1.0, "a number", "the factor per decay")
        static let parameters =
            [
                decayT, decayRate, Timm.warmupT, Timm.warmupLRInit, Timm.warmupPrefix(default: true),
                Timm.tInEpochs,
            ] + Noise.parameters(typed: false) + [Timm.initialize]
        /// `decay_t`, kept as the JSON number it was (an int floor-divides as an int).
        let decayPeriod: JSONValue
        let decayRate: Double, warmup: Warmup, prefix: Bool, noise: Noise

        init?(decoding params: inout ParamsReader) {
            let raw = params.object.object[Self.decayT.name]
            _ = params.double(Self.decayT)
            decayPeriod = raw ?? .null
            decayRate = params.double(Self.decayRate)
            warmup = Warmup(&params)
            prefix = params.bool(Timm.warmupPrefix(default: true))
            _ = params.bool(Timm.tInEpochs)
            noise = Noise(&params, typed: false)
            _ = params.bool(Timm.initialize)
            if params.hasIssues { return nil }
        }

        func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault) {
            let t = prefix ? t - warmup.steps : t
            let factor: Double
            do throws(ExprFault) {
                let decays: Double
                if case .integer(let n) = decayPeriod {
                    decays = Double(try PythonFloat.floorDivide(t, n))
                } else {
                    let period = decayPeriod.doubleValue ?? 1
                    if period == 0 { throw ExprFault.floatFloorDivisionByZero }
                    decays = PythonArithmetic.floatDivMod(Double(t), period).floorDiv
                }
                factor = try PythonFloat.power(decayRate, decays)
            } catch {
                throw ScheduleFault(
                    error.message,
                    parameter: decayPeriod.doubleValue == 0 ? Self.decayT.name : Self.decayRate.name
                )
            }
            for g in lrs.indices { lrs[g] = bases[g] * factor }
        }
    }
}
