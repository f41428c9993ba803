#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `torch.optim.lr_scheduler.CyclicLR`: a triangular wave between `base_lr` and `max_lr`,
/// stepped per batch.
///
/// With `t = last_epoch`, `total = step_size_up + step_size_down`, `ratio = step_size_up / total`:
/// `cycle = floor(1 + t / total)`, `x = 1.0 + t / total - cycle`,
/// `scale = x / ratio` if `x <= ratio` else `(x - 1) / (ratio - 1)`,
/// `lr = base_lr + (max_lr - base_lr) * scale * scale_fn(cycle or t)`, where `scale_fn` is 1
/// (`triangular`), `1 / 2.0 ** (cycle - 1)` (`triangular2`) or `gamma ** t` (`exp_range`).
/// Construction overwrites the optimizer's LR with `base_lr`. With `cycle_momentum` the
/// optimizer's momentum moves inversely: `max_momentum - (max_momentum - base_momentum) * scale
/// * scale_fn(...)`, starting at `max_momentum`. Example base 0.1, max 1, up = down = 2:
/// 0.1, 0.55, 1.0, 0.55, 0.1.
final class CyclicLR: LRScheduler {
    /// The scaling policy of `mode`.
    enum Mode: String, CaseIterable, Sendable {
        case triangular, triangular2
        case expRange = "exp_range"
    }

    let maxLR: Double
    let totalSize: Double
    let stepRatio: Double
    let mode: Mode
    let gamma: Double
    /// `(base_momentum, max_momentum)` when `cycle_momentum` is on.
    let momentumRange: (base: Double, max: Double)?

    init(
        group: ParamGroup,
        baseLR: Double,
        maxLR: Double,
        stepSizeUp: Double,
        stepSizeDown: Double?,
        mode: Mode,
        gamma: Double,
        momentumRange: (base: Double, max: Double)?
    ) throws {
        group.lr = baseLR
        self.momentumRange = momentumRange
        if let momentumRange {
            group.momentum = momentumRange.max
            group.maxMomentum = momentumRange.max
            group.baseMomentum = momentumRange.base
        }
        self.maxLR = maxLR
        let down = stepSizeDown ?? stepSizeUp
        self.totalSize = stepSizeUp + down
        do {
            self.stepRatio = try PythonFloat.divide(stepSizeUp, totalSize)
        } catch {
            throw error.scheduleFault
        }
        self.mode = mode
        self.gamma = gamma
        super.init(group: group)
        // torch's initial step runs with base_lrs taken from `initial_lr` (which may predate
        // this scheduler); only afterwards does the constructor set base_lrs to base_lr.
        try initialStep()
        self.baseLR = baseLR
    }

    override func getLR() throws -> Double {
        let t = PythonFloat.float(lastEpoch)
        let cycle = try PythonFloat.floor(1 + (try PythonFloat.divide(t, totalSize)))
        let x = 1.0 + (try PythonFloat.divide(t, totalSize)) - PythonFloat.float(cycle)
        let scale: Double
        if x <= stepRatio {
            scale = try PythonFloat.divide(x, stepRatio)
        } else {
            scale = try PythonFloat.divide(x - 1, stepRatio - 1)
        }
        // torch's order: height = (max - base) * scale, then base + height * scale_fn(...)
        let scaleFn = try scaleFunction(cycle: cycle, t: t)
        if let (baseMomentum, maxMomentum) = momentumRange {
            group.momentum = maxMomentum - (maxMomentum - baseMomentum) * scale * scaleFn
        }
        return baseLR + (maxLR - baseLR) * scale * scaleFn
    }

    /// `scale_fn(cycle)` (triangular, triangular2) or `scale_fn(last_epoch)` (exp_range).
    private func scaleFunction(cycle: Int, t: Double) throws -> Double {
        switch mode {
        case .triangular: 1.0  // `height * 1.0` is exact, as in torch
        case .triangular2: try PythonFloat.divide(1, try PythonFloat.power(2.0, PythonFloat.float(cycle - 1)))
        case .expRange: try PythonFloat.power(gamma, t)
        }
    }
}

extension CyclicLR {
    /// `CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
    /// mode='triangular', gamma=1.0, scale_fn=None, scale_mode='cycle', cycle_momentum=True,
    /// base_momentum=0.8, max_momentum=0.9)`.
    struct Definition: TorchScheduler {
        static let name = "CyclicLR"
        static let summary = "a triangular wave between base_lr and max_lr, stepped per batch"
        static let learningRate = LearningRatePolicy.optional(default: 0.001)
        static let baseLR = Parameter.perGroup(
            "base_lr",
            "a non-negative number",
            "the wave's lower bound (overwrites the optimizer's LR)"
        )
        static let maxLR = Parameter.perGroup("max_lr", "a non-negative number", "the wave's upper bound")
        static let stepSizeUp = Parameter.float(
            "step_size_up",
            default: 2000,
            "a positive number",
            "steps from base_lr up to max_lr"
        )
        static let stepSizeDown = Parameter(
            "step_size_down",
            type: "float",
            default: .none,
            constraint: "a non-negative number",
            meaning: "steps back down (None: step_size_up)"
        )
        static let mode = Parameter.choice(
            "mode",
            default: "triangular",
            Mode.allCases.map(\.rawValue),
            "the amplitude policy"
        )
        static let gamma = Parameter.float("gamma", default: 1.0, "a non-negative number", "exp_range's decay per step")
        static let scaleFn = Parameter(
            "scale_fn",
            type: "null",
            default: .none,
            constraint: "null (custom scale functions cannot be sent; use mode)",
            meaning: "a custom amplitude function; lrsched supports the built-in modes only"
        )
        static let scaleMode = Parameter.choice(
            "scale_mode",
            default: "cycle",
            ["cycle", "iterations"],
            "what scale_fn reads (only custom scale functions use it)"
        )
        static let parameters =
            [baseLR, maxLR, stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode]
            + MomentumCycle.parameters(base: 0.8, max: 0.9)
        let baseLR: [Double], maxLR: [Double], stepSizeUp: Double, stepSizeDown: Double?
        let mode: Mode, gamma: Double
        let momentum: MomentumCycle

        init?(decoding params: inout ParamsReader) {
            baseLR = params.perGroup(Self.baseLR) { $0 >= 0 }
            maxLR = params.perGroup(Self.maxLR) { $0 >= 0 }
            stepSizeUp = params.double(Self.stepSizeUp) { $0 > 0 }
            stepSizeDown = params.optionalDouble(Self.stepSizeDown) { $0 >= 0 }
            mode = params.choice(Self.mode, default: .triangular)
            gamma = params.double(Self.gamma) { $0 >= 0 }
            if params.raw("scale_fn") != nil {
                params.record(
                    "scale_fn",
                    "custom scale functions are not supported; use `mode` (triangular, triangular2, exp_range)"
                )
            }
            enum ScaleMode: String, CaseIterable { case cycle, iterations }
            _ = params.choice(Self.scaleMode, default: ScaleMode.cycle)
            momentum = MomentumCycle(&params, base: 0.8, max: 0.9)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do {
                return try CyclicLR(
                    group: group,
                    baseLR: baseLR[index],
                    maxLR: maxLR[index],
                    stepSizeUp: stepSizeUp,
                    stepSizeDown: stepSizeDown,
                    mode: mode,
                    gamma: gamma,
                    momentumRange: momentum.range(index)
                )
            } catch { throw ScheduleFault(torch: error) }
        }
    }
}

/// `cycle_momentum`, `base_momentum`, `max_momentum`: the momentum range a cyclic schedule sweeps
/// (per group), or none when it leaves the optimizer's momentum alone.
struct MomentumCycle: Sendable {
    let cycle: Bool
    let base: [Double]
    let max: [Double]

    static func parameters(base: Double, max: Double) -> [Parameter] {
        [
            .bool(
                "cycle_momentum",
                default: true,
                "whether the optimizer's momentum (or beta1) cycles inversely to the LR"
            ),
            .perGroup("base_momentum", default: base, "a number", "the momentum at the LR's peak"),
            .perGroup("max_momentum", default: max, "a number", "the momentum at the LR's trough"),
        ]
    }

    init(_ params: inout ParamsReader, base: Double, max: Double) {
        let p = Self.parameters(base: base, max: max)
        cycle = params.bool(p[0])
        self.base = params.perGroup(p[1])
        self.max = params.perGroup(p[2])
    }

    /// Group `index`'s `(base, max)` momentum, or nil without `cycle_momentum`.
    func range(_ index: Int) -> (base: Double, max: Double)? {
        cycle ? (base[index], max[index]) : nil
    }
}
