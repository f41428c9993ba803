/// `torch.optim.lr_scheduler.ExponentialLR`: `lr *= gamma` every epoch (not at the initial step).
/// Closed form: `base * gamma ** t`.
final class ExponentialLR: LRScheduler {
    let gamma: Double

    init(group: ParamGroup, gamma: Double) throws {
        self.gamma = gamma
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        if isInitial { return unchanged }
        return group.lr * gamma
    }

    override func closedFormLR() throws -> Double? {
        let gamma = gamma
        let t = lastEpoch
        return baseLR * (try PythonFloat.power(gamma, PythonFloat.float(t)))
    }
}

extension ExponentialLR {
    /// `ExponentialLR(optimizer, gamma)`.
    struct Definition: TorchScheduler {
        static let name = "ExponentialLR"
        static let summary = "multiply by gamma every epoch"
        static let gamma = Parameter.float("gamma", "the factor per epoch")
        static let parameters = [gamma]
        let gamma: Double

        init?(decoding params: inout ParamsReader) {
            gamma = params.double(Self.gamma)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do { return try ExponentialLR(group: group, gamma: gamma) } catch { throw ScheduleFault(torch: error) }
        }
    }
}
