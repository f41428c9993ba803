import Foundation

extension DeepSpeed {
    /// `LRRangeTest(optimizer, lr_range_test_min_lr=1e-3, lr_range_test_step_size=2000,
    /// lr_range_test_step_rate=1.0, lr_range_test_staircase=False)`.
    ///
    /// `lr = min_lr * (1 + step_rate * interval)` with `interval = (it + 1) / step_size`, floored
    /// when `staircase`. The constructor writes `min_lr`. `step_size` must be a positive `int`.
    /// Source: `deepspeed/runtime/lr_schedules.py`.
    struct LRRangeTest: DeepSpeedClosedForm {
        static let name = "LRRangeTest"
        static let summary = "grow the LR from lr_range_test_min_lr, continuously or in stairs"
        static let minLR = Parameter.perGroup(
            "lr_range_test_min_lr",
            default: 0.001,
            "a number",
            "the LR of the first update"
        )
        static let stepSize = Parameter.int(
            "lr_range_test_step_size",
            default: 2000,
            "a positive integer",
            "steps per unit of interval",
            acceptsIntegralFloat: false
        )
        static let stepRate = Parameter.float("lr_range_test_step_rate", default: 1.0, "the growth per interval")
        static let staircase = Parameter.bool(
            "lr_range_test_staircase",
            default: false,
            "whether the interval is floored (stairs) or continuous"
        )
        static let parameters = [minLR, stepSize, stepRate, staircase, DeepSpeed.lastBatchIteration]

        let minLRs: [Double]
        let size: Int
        let rate: Double
        let stairs: Bool
        let lastIteration: Int

        init?(decoding params: inout ParamsReader) {
            DeepSpeed.refuseNone(&params, Self.parameters, except: [Self.staircase.name])
            minLRs = params.perGroup(Self.minLR)
            size = DeepSpeed.positiveInt(&params, Self.stepSize)
            rate = params.double(Self.stepRate)
            stairs = DeepSpeed.truthy(&params, Self.staircase)
            lastIteration = params.int(DeepSpeed.lastBatchIteration, in: -(1 << 53)...(1 << 53))
            if params.hasIssues { return nil }
        }

        func initialLRs(bases: [Double]) -> [Double] { minLRs }

        func lrs(at it: Int, bases: [Double], into lrs: inout [Double]) {
            let continuous = Double(it + 1) / Double(size)
            let interval = stairs ? continuous.rounded(.down) : continuous
            let increase = 1 + rate * interval
            for g in lrs.indices { lrs[g] = minLRs[g] * increase }
        }
    }
}
