#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts` (SGDR): cosine annealing that restarts
/// every `T_i` epochs, with `T_0` for the first cycle and `T_i *= T_mult` after each restart.
///
/// `lr = eta_min + (base - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2`; each `step()` does
/// `T_cur += 1` and, when `T_cur >= T_i`, `T_cur %= T_i; T_i *= T_mult`.
/// Constraints: `T_0` a positive integer, `T_mult` an integer ≥ 1. `eta_min` is never reached
/// with integer steps. Example T_0 = 2, T_mult = 2, base 0.5: 0.5, 0.25 | 0.5, 0.427, 0.25, 0.073 | 0.5.
final class CosineAnnealingWarmRestarts: LRScheduler {
    let t0: Int
    let tMult: Int
    let etaMin: Double
    @exclusivity(unchecked) var tI: Int
    @exclusivity(unchecked) var tCur: Int

    init(group: ParamGroup, t0: Int, tMult: Int, etaMin: Double) throws {
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
        self.tI = t0
        self.tCur = -1
        super.init(group: group)
        try initialStep()
    }

    override class var stepsChainably: Bool { false }

    /// CosineAnnealingWarmRestarts overrides `step()` entirely (no `_step_count` bookkeeping).
    override func step() throws {
        if lastEpoch < 0 {
            tI = t0
            tCur = 0
            lastEpoch = 0
        } else {
            lastEpoch += 1
            tCur += 1
            if tCur >= tI {
                tCur %= tI
                let (product, overflow) = tI.multipliedReportingOverflow(by: tMult)
                if overflow {
                    throw ScheduleFault("the cycle length T_i overflows a 64-bit integer", parameter: "T_mult")
                }
                tI = product
            }
        }
        let value = try getLR()
        group.lr = value
        lastLR = value
    }

    override func getLR() throws -> Double {
        etaMin + (baseLR - etaMin) * (1 + cos(Double.pi * PythonFloat.float(tCur) / PythonFloat.float(tI))) / 2
    }
}

extension CosineAnnealingWarmRestarts {
    /// `CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0)`.
    struct Definition: TorchScheduler {
        static let name = "CosineAnnealingWarmRestarts"
        static let summary = "cosine annealing restarted every T_i epochs (SGDR), T_i growing by T_mult"
        static let t0 = Parameter.int(
            "T_0",
            "a positive integer, not a float (torch checks isinstance(T_0, int))",
            "the length of the first cycle",
            acceptsIntegralFloat: false
        )
        static let tMult = Parameter.int(
            "T_mult",
            default: 1,
            "an integer >= 1, not a float (torch checks isinstance(T_mult, int))",
            "the factor by which each cycle grows",
            acceptsIntegralFloat: false
        )
        static let etaMin = Parameter.float("eta_min", default: 0.0, "a number", "the LR the cosine falls towards")
        static let parameters = [t0, tMult, etaMin]
        let t0: Int
        let tMult: Int
        let etaMin: Double

        init?(decoding params: inout ParamsReader) {
            t0 = params.int(Self.t0, in: 1...Int(Int32.max))
            tMult = params.int(Self.tMult, in: 1...Int(Int32.max))
            etaMin = params.double(Self.etaMin)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do {
                return try CosineAnnealingWarmRestarts(group: group, t0: t0, tMult: tMult, etaMin: etaMin)
            } catch { throw ScheduleFault(torch: error) }
        }
    }
}
