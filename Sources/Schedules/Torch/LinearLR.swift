import JSON

/// `torch.optim.lr_scheduler.ConstantLR`: multiply by `factor` until epoch `total_iters`.
///
/// Chainable: t = 0 → `lr * factor`; t == total_iters → `lr * (1.0 / factor)` (so `factor = 0`
/// raises ZeroDivisionError there, as in torch); otherwise unchanged.
/// Closed form: `base * (factor + (t >= total_iters) * (1 - factor))`. Constraint: 0 ≤ factor ≤ 1.
final class ConstantLR: LRScheduler {
    let factor: Double
    let totalIters: Int

    init(group: ParamGroup, pointer: JSONPointer, factor: Double, totalIters: Int) throws {
        self.factor = factor
        self.totalIters = totalIters
        super.init(group: group, pointer: pointer)
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

    init(group: ParamGroup, pointer: JSONPointer, startFactor: Double, endFactor: Double, totalIters: Int) throws {
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

    override func getLR() throws -> Double {
        if lastEpoch == 0 { return group.lr * startFactor }
        if isInitial || lastEpoch > totalIters { return unchanged }
        let delta = endFactor - startFactor
        let denominator = Double(totalIters) * startFactor + Double(lastEpoch - 1) * delta
        return group.lr * (1.0 + (try PythonFloat.divide(delta, denominator)))
    }

    override func closedFormLR() throws -> Double? {
        let progress = (endFactor - startFactor) * Double(min(totalIters, lastEpoch))
        return baseLR * (startFactor + (try PythonFloat.divide(progress, Double(totalIters))))
    }
}

/// `torch.optim.lr_scheduler.PolynomialLR`: decay to 0 over `total_iters` epochs with `power`.
///
/// Chainable: initial step or t > total_iters → unchanged; otherwise
/// `lr * ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** power`.
/// Closed form: `base * (1.0 - min(T, t) / T) ** power`. Reaches 0 at t = T and stays there.
final class PolynomialLR: LRScheduler {
    let totalIters: Int
    let power: Double

    init(group: ParamGroup, pointer: JSONPointer, totalIters: Int, power: Double) throws {
        self.totalIters = totalIters
        self.power = power
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

    override func getLR() throws -> Double {
        if isInitial || lastEpoch > totalIters { return unchanged }
        let t = lastEpoch, n = totalIters
        let ratio = try PythonFloat.divide(
            1.0 - (try PythonFloat.trueDivide(t, n)), 1.0 - (try PythonFloat.trueDivide(t - 1, n)))
        return group.lr * (try PythonFloat.power(ratio, power))
    }

    override func closedFormLR() throws -> Double? {
        let fraction = try PythonFloat.trueDivide(min(totalIters, lastEpoch), totalIters)
        return baseLR * (try PythonFloat.power(1.0 - fraction, power))
    }
}
