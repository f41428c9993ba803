/// `torch.optim.lr_scheduler.PolynomialLR`: decay to 0 over `total_iters` epochs with `power`.
///
/// Chainable: initial step or t > total_iters → unchanged; otherwise
/// `lr * ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** power`.
/// Closed form: `base * (1.0 - min(T, t) / T) ** power`. Reaches 0 at t = T and stays there.
final class PolynomialLR: LRScheduler {
    let totalIters: Int
    let power: Double

    init(group: ParamGroup, totalIters: Int, power: Double) throws {
        self.totalIters = totalIters
        self.power = power
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        if isInitial || lastEpoch > totalIters { return unchanged }
        let t = lastEpoch
        let n = totalIters
        let ratio = try PythonFloat.divide(
            1.0 - (try PythonFloat.trueDivide(t, n)),
            1.0 - (try PythonFloat.trueDivide(t - 1, n))
        )
        return group.lr * (try PythonFloat.power(ratio, power))
    }

    override func closedFormLR() throws -> Double? {
        let fraction = try PythonFloat.trueDivide(min(totalIters, lastEpoch), totalIters)
        return baseLR * (try PythonFloat.power(1.0 - fraction, power))
    }
}

extension PolynomialLR {
    /// `PolynomialLR(optimizer, total_iters=5, power=1.0)`.
    struct Definition: TorchScheduler {
        static let name = "PolynomialLR"
        static let summary = "decay to 0 over total_iters epochs as (1 - t/T) ** power"
        static let totalIters = Parameter.int(
            "total_iters",
            default: 5,
            "an integer",
            "the epoch at which the LR reaches 0"
        )
        static let power = Parameter.float("power", default: 1.0, "the polynomial's power")
        static let parameters = [totalIters, power]
        let totalIters: Int
        let power: Double

        init?(decoding params: inout ParamsReader) {
            totalIters = params.int(Self.totalIters, in: TorchFamily.integers)
            power = params.double(Self.power)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do { return try PolynomialLR(group: group, totalIters: totalIters, power: power) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}
