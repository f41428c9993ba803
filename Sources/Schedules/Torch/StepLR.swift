/// `torch.optim.lr_scheduler.StepLR`: decay by `gamma` every `step_size` epochs.
///
/// Chainable form (what `step()` uses): `lr *= gamma` when `t > 0 and t % step_size == 0`.
/// Closed form (SequentialLR restarts): `base * gamma ** (t // step_size)`.
/// Constraints: `step_size` a non-zero integer (torch accepts negative sizes: Python `%` makes them act like their magnitude). Example, base 0.1, step_size 10, gamma 0.9:
/// t = 0…9 → 0.1, t = 10…19 → 0.09000000000000001, t = 20 → 0.08100000000000002.
final class StepLR: LRScheduler {
    let stepSize: Int
    let gamma: Double

    init(group: ParamGroup, stepSize: Int, gamma: Double) throws {
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        let t = lastEpoch
        let size = stepSize
        if try t == 0 || PythonFloat.modulo(t, size) != 0 {
            return unchanged
        }
        return group.lr * gamma
    }

    override func closedFormLR() throws -> Double? {
        let t = lastEpoch
        let size = stepSize
        let gamma = gamma
        return baseLR * (try PythonFloat.power(gamma, Double(try PythonFloat.floorDivide(t, size))))
    }
}

extension StepLR {
    /// `StepLR(optimizer, step_size, gamma=0.1)`.
    struct Definition: TorchScheduler {
        static let name = "StepLR"
        static let summary = "decay by gamma every step_size epochs"
        static let stepSize = Parameter.int("step_size", "a non-zero integer", "epochs between decays")
        static let gamma = Parameter.float("gamma", default: 0.1, "the decay factor")
        static let parameters = [stepSize, gamma]
        let stepSize: Int
        let gamma: Double

        init?(decoding params: inout ParamsReader) {
            stepSize = params.int(Self.stepSize, in: TorchFamily.integers)
            if stepSize == 0, params.contains("step_size") {
                params.record("step_size", "must be a non-zero integer, got 0")
            }
            gamma = params.double(Self.gamma)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do { return try StepLR(group: group, stepSize: stepSize, gamma: gamma) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}
