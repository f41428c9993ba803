extension Timm {
    /// `timm.scheduler.WSDLRScheduler(optimizer, t_initial, decay_t, lr_min=0., stable_fn='constant',
    /// stable_timescale=None, stable_power=0.5, decay_fn='1-sqrt', decay_power=0.5, decay_ratio=0.1,
    /// warmup_t=0, warmup_lr_init=0., t_in_epochs=True, noise_range_t=None, noise_pct=0.67,
    /// noise_std=1.0, noise_seed=42)`.
    ///
    /// After the warm-up (always a prefix), `t_s = t - warmup_t`; the stable LR is
    /// `max(v * stable(t_s), lr_min)` with `stable` 1 (`constant`) or
    /// `(1. + t_s / stable_timescale) ** -power` (`rsqrt`: power 0.5; `power`: `stable_power`).
    /// The last `decay_t` of the `t_initial` steps decay it: `frac = min((t_s - (t_initial - decay_t)) / decay_t, 1.)`,
    /// `lr = lr_min + (stable - lr_min) * decay(frac)` with `decay` linear `1. - f`, 1-sqrt
    /// `1. - sqrt(f)`, cosine `0.5 * (1. + cos(pi * f))`, power `1. - f ** decay_power`, exp
    /// `(r ** f - r) / (1. - r)` (`r = decay_ratio`). Source: `timm/scheduler/wsd_lr.py`.
    struct WSDLRScheduler: TimmClosedForm {
        enum StableFunction: String, CaseIterable, Sendable { case constant, rsqrt, power }
        enum DecayFunction: String, CaseIterable, Sendable {
            case linear
            case oneMinusSqrt = "1-sqrt"
            case cosine, power, exp
        }

        static let name = "WSDLRScheduler"
        static let summary =
            "warm-up, a stable phase (constant or inverse-power), then a decay to lr_min over the last decay_t steps"
        static let tInitial = Parameter.int(
            "t_initial",
            "a positive integer",
            "the length of the stable and decay phases together"
        )
        static let decayT = Parameter.int("decay_t", "an integer in (0, t_initial]", "the length of the decay phase")
        static let stableFn = Parameter.choice(
            "stable_fn",
            default: "constant",
            StableFunction.allCases.map(\.rawValue),
            "the stable phase's shape"
        )
        static let stableTimescale = Parameter(
            "stable_timescale",
            type: "float",
            default: .described("warmup_t"),
            constraint: "a positive number",
            meaning: "the time scale of a non-constant stable phase"
        )
        static let stablePower = Parameter.float(
            "stable_power",
            default: 0.5,
            "a positive number",
            "the power of stable_fn 'power'"
        )
        static let decayFn = Parameter.choice(
            "decay_fn",
            default: "1-sqrt",
            DecayFunction.allCases.map(\.rawValue),
            "the decay's shape"
        )
        static let decayPower = Parameter.float(
            "decay_power",
            default: 0.5,
            "a positive number",
            "the power of decay_fn 'power'"
        )
        static let decayRatio = Parameter.float(
            "decay_ratio",
            default: 0.1,
            "a number in (0, 1)",
            "the ratio r of decay_fn 'exp'"
        )
        static let parameters =
            [
                tInitial, decayT, Timm.lrMin, stableFn, stableTimescale, stablePower, decayFn, decayPower,
                decayRatio, Timm.warmupT, Timm.warmupLRInit, Timm.tInEpochs,
            ] + Noise.parameters(typed: false)
            + [Timm.initialize]
        let tInitialSteps: Int, decaySteps: Int, lrMin: Double
        let stable: StableFunction, timescale: Double, stablePowerValue: Double
        let decay: DecayFunction, decayPowerValue: Double, ratio: Double
        let warmup: Warmup, noise: Noise

        init?(decoding params: inout ParamsReader) {
            tInitialSteps = params.int(Self.tInitial, in: 1...(1 << 53))
            decaySteps = params.int(Self.decayT, in: 1...(1 << 53))
            lrMin = params.double(Timm.lrMin) { $0 >= 0 }
            stable = params.choice(Self.stableFn, default: .constant)
            let timescale = params.optionalDouble(Self.stableTimescale)
            stablePowerValue = params.double(Self.stablePower) { $0 > 0 }
            decay = params.choice(Self.decayFn, default: .oneMinusSqrt)
            decayPowerValue = params.double(Self.decayPower) { $0 > 0 }
            ratio = params.double(Self.decayRatio) { $0 > 0 && $0 < 1 }
            warmup = Warmup(&params)
            _ = params.bool(Timm.tInEpochs)
            noise = Noise(&params, typed: false)
            _ = params.bool(Timm.initialize)
            if !params.hasIssues && decaySteps > tInitialSteps {
                params.record(
                    Self.decayT.name,
                    "must be in (0, t_initial] with t_initial \(tInitialSteps) (timm raises ValueError), got \(decaySteps)"
                )
            }
            self.timescale = timescale ?? Double(warmup.steps)
            if !params.hasIssues && stable != .constant && !(self.timescale > 0) {
                params.record(
                    Self.stableTimescale.name,
                    "must be positive with stable_fn \"\(stable.rawValue)\": it defaults to warmup_t (\(warmup.steps)); set it when there is no warm-up (timm raises ValueError)"
                )
            }
            if params.hasIssues { return nil }
        }

        func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault) {
            let ts = t - warmup.steps
            do {
                var factor = 1.0
                if stable != .constant {
                    let power = stable == .rsqrt ? 0.5 : stablePowerValue
                    factor = try PythonFloat.power(1.0 + Double(ts) / timescale, -power)
                }
                for g in lrs.indices { lrs[g] = PythonFloat.max(bases[g] * factor, lrMin) }
                let tDecay = ts - (tInitialSteps - decaySteps)
                if tDecay <= 0 { return }
                let fraction = PythonFloat.min(try PythonFloat.trueDivide(tDecay, decaySteps), 1.0)
                let d: Double
                switch decay {
                case .linear: d = 1.0 - fraction
                case .oneMinusSqrt: d = 1.0 - (try PythonFloat.sqrt(fraction))
                case .cosine: d = 0.5 * (1.0 + ExprLibm.cos(Double.pi * fraction))
                case .power: d = 1.0 - (try PythonFloat.power(fraction, decayPowerValue))
                case .exp: d = try PythonFloat.divide((try PythonFloat.power(ratio, fraction)) - ratio, 1.0 - ratio)
                }
                for g in lrs.indices { lrs[g] = lrMin + (lrs[g] - lrMin) * d }
            } catch {
                throw ScheduleFault(error.message)
            }
        }
    }
}
