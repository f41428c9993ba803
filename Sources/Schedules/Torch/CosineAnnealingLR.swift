#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON

/// `torch.optim.lr_scheduler.CosineAnnealingLR`: cosine from the base LR down to `eta_min` over
/// `T_max` epochs, replayed with torch's recursive formula.
///
/// Chainable `get_lr`, first matching branch wins: initial step → unchanged;
/// `_step_count == 1 and t > 0` → closed form; `(t - 1 - T_max) % (2 * T_max) == 0` →
/// `lr + (base - eta_min) * (1 - cos(pi / T_max)) / 2`; otherwise
/// `(1 + cos(pi * t / T_max)) / (1 + cos(pi * (t - 1) / T_max)) * (lr - eta_min) + eta_min`.
/// Closed form: `eta_min + (base - eta_min) * (1 + cos(pi * t / T_max)) / 2`.
/// Past `T_max` there is no clamp: the LR rises again and is back at base at t = 2·T_max
/// (T_max = 4, base 1: 1, .854, .5, .146, 0, .146, .5, .854, 1).
final class CosineAnnealingLR: LRScheduler {
    let tMax: Int
    let etaMin: Double

    init(group: ParamGroup, pointer: JSONPointer, tMax: Int, etaMin: Double) throws {
        self.tMax = tMax
        self.etaMin = etaMin
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

    override func getLR() throws -> Double {
        let t = lastEpoch
        if isInitial { return unchanged }
        if stepCount == 1 && t > 0 {
            return etaMin + (baseLR - etaMin) * (1 + cos(Double(t) * Double.pi / Double(tMax))) / 2
        }
        if try PythonFloat.modulo(t - 1 - tMax, 2 * tMax) == 0 {
            return group.lr + (baseLR - etaMin) * (1 - cos(try PythonFloat.divide(Double.pi, Double(tMax)))) / 2
        }
        let numerator = 1 + cos(Double.pi * Double(t) / Double(tMax))
        let denominator = 1 + cos(Double.pi * Double(t - 1) / Double(tMax))
        return (try PythonFloat.divide(numerator, denominator)) * (group.lr - etaMin) + etaMin
    }

    override func closedFormLR() throws -> Double? {
        let angle = try PythonFloat.divide(Double.pi * Double(lastEpoch), Double(tMax))
        return etaMin + (baseLR - etaMin) * (1 + cos(angle)) / 2
    }
}

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
    var tI: Int
    var tCur: Int

    init(group: ParamGroup, pointer: JSONPointer, t0: Int, tMult: Int, etaMin: Double) throws {
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
        self.tI = t0
        self.tCur = -1
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

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
                    throw ScheduleError.evaluationFailed(
                        FieldIssue(pointer.appending("T_mult"), "the cycle length T_i overflows a 64-bit integer"),
                        epoch: lastEpoch)
                }
                tI = product
            }
        }
        let value = try getLR()
        group.lr = value
        lastLR = value
    }

    override func getLR() throws -> Double {
        etaMin + (baseLR - etaMin) * (1 + cos(Double.pi * Double(tCur) / Double(tI))) / 2
    }
}
