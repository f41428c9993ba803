#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// `T_max` as a float (Python converts it in every division).
    private let tMaxFloat: Double
    /// The last numerator's epoch t and its `cos(pi * t / T_max)`: the next step's denominator
    /// angle `pi * (t' - 1) / T_max` for t' - 1 == t is the same double, so its cosine is reused,
    /// not recomputed (the same value: the same argument, the same function).
    @exclusivity(unchecked) private var lastEpochCosine: (epoch: Int, cosine: Double) = (.min, .nan)

    init(group: ParamGroup, tMax: Int, etaMin: Double) throws {
        self.tMax = tMax
        self.etaMin = etaMin
        self.tMaxFloat = Double(tMax)
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        let t = lastEpoch
        if isInitial { return unchanged }
        if stepCount == 1 && t > 0 {
            return etaMin + (baseLR - etaMin) * (1 + cos(PythonFloat.float(t) * Double.pi / tMaxFloat)) / 2
        }
        if try PythonFloat.modulo(t - 1 - tMax, 2 * tMax) == 0 {
            return group.lr + (baseLR - etaMin) * (1 - cos(try PythonFloat.divide(Double.pi, tMaxFloat))) / 2
        }
        let cosine = cos(Double.pi * PythonFloat.float(t) / tMaxFloat)
        let previousCosine =
            t - 1 == lastEpochCosine.epoch
            ? lastEpochCosine.cosine : cos(Double.pi * PythonFloat.float(t - 1) / tMaxFloat)
        lastEpochCosine = (t, cosine)
        let numerator = 1 + cosine
        let denominator = 1 + previousCosine
        return (try PythonFloat.divide(numerator, denominator)) * (group.lr - etaMin) + etaMin
    }

    override func closedFormLR() throws -> Double? {
        let angle = try PythonFloat.divide(Double.pi * PythonFloat.float(lastEpoch), tMaxFloat)
        return etaMin + (baseLR - etaMin) * (1 + cos(angle)) / 2
    }
}

extension CosineAnnealingLR {
    /// `CosineAnnealingLR(optimizer, T_max, eta_min=0.0)`.
    struct Definition: TorchScheduler {
        static let name = "CosineAnnealingLR"
        static let summary = "cosine from the base LR to eta_min over T_max epochs (rising again after)"
        static let tMax = Parameter.int("T_max", "a positive integer", "half the cosine's period, in epochs")
        static let etaMin = Parameter.float("eta_min", default: 0.0, "a number", "the LR at the cosine's trough")
        static let parameters = [tMax, etaMin]
        let tMax: Int
        let etaMin: Double

        init?(decoding params: inout ParamsReader) {
            tMax = params.int(Self.tMax, in: 1...TorchFamily.integers.upperBound)
            etaMin = params.double(Self.etaMin)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do { return try CosineAnnealingLR(group: group, tMax: tMax, etaMin: etaMin) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}
