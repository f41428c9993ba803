extension Timm {
    /// `timm.scheduler.MultiStepLRScheduler(optimizer, decay_t, decay_rate=1., warmup_t=0,
    /// warmup_lr_init=0., warmup_prefix=True, t_in_epochs=True, noise_range_t=None, noise_pct=0.67,
    /// noise_std=1.0, noise_seed=42)`.
    ///
    /// `lr = v * decay_rate ** bisect_right(decay_t, t + 1)`: the `t + 1` makes each decay land one
    /// step before its milestone (unlike torch's MultiStepLR). `decay_t` is searched as given
    /// (bisect assumes it sorted). Source: `timm/scheduler/multistep_lr.py`.
    struct MultiStepLRScheduler: TimmClosedForm {
        static let name = "MultiStepLRScheduler"
        static let summary = "decay by decay_rate one step before each milestone in decay_t, with warm-up and noise"
        static let decayT = Parameter(
            "decay_t",
            type: "list[int | float]",
            default: .required,
            constraint: "a list of steps (numbers)",
            meaning: "the milestones"
        )
        static let parameters =
            [
                decayT, StepLRScheduler.decayRate, Timm.warmupT, Timm.warmupLRInit,
                Timm.warmupPrefix(default: true), Timm.tInEpochs,
            ] + Noise.parameters(typed: false) + [Timm.initialize]
        let milestones: [Double]
        let decayRate: Double, warmup: Warmup, prefix: Bool, noise: Noise

        init?(decoding params: inout ParamsReader) {
            let milestones = params.numberList(Self.decayT, maxCount: TorchFamily.maxMilestones)
            decayRate = params.double(StepLRScheduler.decayRate)
            warmup = Warmup(&params)
            prefix = params.bool(Timm.warmupPrefix(default: true))
            _ = params.bool(Timm.tInEpochs)
            noise = Noise(&params, typed: false)
            _ = params.bool(Timm.initialize)
            guard let milestones, !params.hasIssues else { return nil }
            self.milestones = milestones
        }

        func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault) {
            let x = Double((prefix ? t - warmup.steps : t) + 1)
            var lo = 0
            var hi = milestones.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if x < milestones[mid] { hi = mid } else { lo = mid + 1 }
            }
            let factor: Double
            do { factor = try PythonFloat.power(decayRate, Double(lo)) } catch {
                throw ScheduleFault(error.message, parameter: StepLRScheduler.decayRate.name)
            }
            for g in lrs.indices { lrs[g] = bases[g] * factor }
        }
    }
}
