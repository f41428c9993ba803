/// `torch.optim.lr_scheduler.ConstantLR`: multiply by `factor` until epoch `total_iters`.
///
/// Chainable: t = 0 → `lr * factor`; t == total_iters → `lr * (1.0 / factor)` (so `factor = 0`
/// raises ZeroDivisionError there, as in torch); otherwise unchanged.
/// Closed form: `base * (factor + (t >= total_iters) * (1 - factor))`. Constraint: 0 ≤ factor ≤ 1.
final class ConstantLR: LRScheduler {
    let factor: Double
    let totalIters: Int

    init(group: ParamGroup, factor: Double, totalIters: Int) throws {
        self.factor = factor
        self.totalIters = totalIters
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        if lastEpoch == 0 { return group.lr * factor }
        if lastEpoch != totalIters { return unchanged }
        return group.lr * (try PythonFloat.divide(1.0, factor))
    }

    override func closedFormLR() throws -> Double? {
        baseLR * (factor + (lastEpoch >= totalIters ? 1.0 : 0.0) * (1 - factor))
    }
}

extension ConstantLR {
    /// `ConstantLR(optimizer, factor=1/3, total_iters=5)`.
    struct Definition: TorchScheduler {
        static let name = "ConstantLR"
        static let summary = "scale by factor until epoch total_iters, then the base LR"
        static let factor = Parameter.float(
            "factor",
            default: 1.0 / 3,
            "a number in [0, 1]",
            "the scale before total_iters"
        )
        static let totalIters = Parameter.int(
            "total_iters",
            default: 5,
            "an integer",
            "the epoch at which the scale ends"
        )
        static let parameters = [factor, totalIters]
        let factor: Double
        let totalIters: Int

        init?(decoding params: inout ParamsReader) {
            factor = params.double(Self.factor) { (0...1).contains($0) }
            totalIters = params.int(Self.totalIters, in: TorchFamily.integers)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do { return try ConstantLR(group: group, factor: factor, totalIters: totalIters) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}
