/// `torch.optim.lr_scheduler.LinearLR`: scale from `start_factor` to `end_factor` over
/// `total_iters` epochs, then hold.
///
/// Chainable: t = 0 → `lr * start_factor`; initial step or t > total_iters → unchanged;
/// otherwise `lr * (1.0 + (ef - sf) / (total_iters * sf + (t - 1) * (ef - sf)))`.
/// Closed form: `base * (sf + (ef - sf) * min(total_iters, t) / total_iters)`.
/// Constraints: 0 < start_factor ≤ 1, 0 ≤ end_factor ≤ 1.
final class LinearLR: LRScheduler {
    let startFactor: Double
    let endFactor: Double
    let totalIters: Int

    init(group: ParamGroup, startFactor: Double, endFactor: Double, totalIters: Int) throws {
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        if lastEpoch == 0 { return group.lr * startFactor }
        if isInitial || lastEpoch > totalIters { return unchanged }
        let delta = endFactor - startFactor
        let denominator = PythonFloat.float(totalIters) * startFactor + PythonFloat.float(lastEpoch - 1) * delta
        return group.lr * (1.0 + (try PythonFloat.divide(delta, denominator)))
    }

    override func closedFormLR() throws -> Double? {
        let progress = (endFactor - startFactor) * PythonFloat.float(min(totalIters, lastEpoch))
        return baseLR * (startFactor + (try PythonFloat.divide(progress, PythonFloat.float(totalIters))))
    }
}

extension LinearLR {
    /// `LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)`.
    struct Definition: TorchScheduler {
        static let name = "LinearLR"
        static let summary = "scale linearly from start_factor to end_factor over total_iters epochs"
        static let startFactor = Parameter.float(
            "start_factor",
            default: 1.0 / 3,
            "a number in (0, 1]",
            "the scale at epoch 0"
        )
        static let endFactor = Parameter.float(
            "end_factor",
            default: 1.0,
            "a number in [0, 1]",
            "the scale from total_iters on"
        )
        static let totalIters = Parameter.int(
            "total_iters",
            default: 5,
            "an integer",
            "the length of the ramp in epochs"
        )
        static let parameters = [startFactor, endFactor, totalIters]
        let startFactor: Double
        let endFactor: Double
        let totalIters: Int

        init?(decoding params: inout ParamsReader) {
            startFactor = params.double(Self.startFactor) { $0 > 0 && $0 <= 1 }
            endFactor = params.double(Self.endFactor) { (0...1).contains($0) }
            totalIters = params.int(Self.totalIters, in: TorchFamily.integers)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do {
                return try LinearLR(
                    group: group,
                    startFactor: startFactor,
                    endFactor: endFactor,
                    totalIters: totalIters
                )
            } catch { throw ScheduleFault(torch: error) }
        }
    }
}
