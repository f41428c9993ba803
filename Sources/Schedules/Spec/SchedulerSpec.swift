import JSON

/// A validated PyTorch scheduler configuration: which `torch.optim.lr_scheduler` class and its
/// constructor keyword arguments, with torch's names and defaults.
public struct SchedulerSpec: Sendable {
    /// The scheduler classes of `torch.optim.lr_scheduler` that lrsched reproduces.
    public enum Name: String, CaseIterable, Sendable {
        case lambdaLR = "LambdaLR"
        case multiplicativeLR = "MultiplicativeLR"
        case stepLR = "StepLR"
        case multiStepLR = "MultiStepLR"
        case constantLR = "ConstantLR"
        case linearLR = "LinearLR"
        case exponentialLR = "ExponentialLR"
        case polynomialLR = "PolynomialLR"
        case cosineAnnealingLR = "CosineAnnealingLR"
        case chainedScheduler = "ChainedScheduler"
        case sequentialLR = "SequentialLR"
        case reduceLROnPlateau = "ReduceLROnPlateau"
        case cyclicLR = "CyclicLR"
        case oneCycleLR = "OneCycleLR"
        case cosineAnnealingWarmRestarts = "CosineAnnealingWarmRestarts"

        /// Whether the scheduler sets the optimizer's LR itself, so a request may omit `lr`.
        public var setsOwnLR: Bool { self == .cyclicLR || self == .oneCycleLR }
    }

    /// `CyclicLR`'s arguments that affect the learning rate.
    struct Cyclic: Sendable {
        var baseLR: Double, maxLR: Double, stepSizeUp: Double, stepSizeDown: Double?
        var mode: CyclicLR.Mode, gamma: Double
        var momentum: (base: Double, max: Double)?
    }

    /// `OneCycleLR`'s arguments that affect the learning rate.
    struct OneCycle: Sendable {
        var maxLR: Double, totalSteps: Int, pctStart: Double, anneal: OneCycleLR.Anneal
        var divFactor: Double, finalDivFactor: Double, threePhase: Bool
        var momentum: (base: Double, max: Double)?
    }

    indirect enum Config: Sendable {
        case lambda(LambdaExpression)
        case multiplicative(LambdaExpression)
        case step(stepSize: Int, gamma: Double)
        case multiStep(milestones: [Int], gamma: Double)
        case constant(factor: Double, totalIters: Int)
        case linear(startFactor: Double, endFactor: Double, totalIters: Int)
        case exponential(gamma: Double)
        case polynomial(totalIters: Int, power: Double)
        case cosineAnnealing(tMax: Int, etaMin: Double)
        case chained([SchedulerSpec])
        case sequential([SchedulerSpec], milestones: [Int])
        case plateau(ReduceLROnPlateau.Options)
        case cyclic(Cyclic)
        case oneCycle(OneCycle)
        case warmRestarts(t0: Int, tMult: Int, etaMin: Double)
    }

    /// The scheduler class.
    public let name: Name
    let config: Config
    /// Where this scheduler's `params` object is in the request.
    let paramsPointer: JSONPointer

    /// How much work one epoch costs, in rough units of one simple scheduler step; bounds the
    /// total work a request may ask for.
    public var costPerEpoch: Int {
        switch config {
        case .lambda(let e), .multiplicative(let e): 1 + e.cost
        case .chained(let children), .sequential(let children, _):
            1 + children.reduce(0) { $0 + $1.costPerEpoch }
        default: 1
        }
    }
}

extension SchedulerSpec {
    /// Limits on the size of a spec.
    public static let maxMilestones = 10_000
    /// The integers a parameter may hold: ±2^53, so that torch's integer arithmetic on them
    /// (e.g. `2 * T_max`) cannot overflow and every one converts to a float exactly.
    public static let integers = -(1 << 53)...(1 << 53)
    /// At most this many schedulers (counting nested ones) in one spec.
    public static let maxSchedulers = 64

    /// Decodes and validates `{"scheduler": ..., "params": {...}}`-style input: `name` is the
    /// scheduler member, `params` the params member (absent = all defaults), `pointer` the
    /// location of the params object. Records every problem in `issues`; returns nil if any.
    static func decode(name nameValue: JSONValue?, namePointer: JSONPointer, params: JSONValue?,
                       pointer: JSONPointer, depth: Int = 0, count: inout Int,
                       issues: inout [FieldIssue]) -> SchedulerSpec? {
        count += 1
        if count > maxSchedulers {
            issues.append(FieldIssue(namePointer, "a spec may contain at most \(maxSchedulers) schedulers"))
            return nil
        }
        guard case .string(let raw)? = nameValue else {
            let got = nameValue.map { "got \($0.shortDescription)" } ?? "it is missing"
            issues.append(FieldIssue(namePointer, "must name a scheduler (one of \(Name.allCases.map(\.rawValue).joined(separator: ", "))); \(got)"))
            return nil
        }
        guard let name = Name(rawValue: raw) else {
            let hint = closestMatch(to: raw, in: Name.allCases.map(\.rawValue)).map { "; did you mean \"\($0)\"?" } ?? ""
            issues.append(FieldIssue(namePointer, "unknown scheduler \"\(raw)\"\(hint) Known: \(Name.allCases.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        var r = ObjectReader(value: params, at: pointer, issues: &issues)
        let before = issues.count
        let config = decodeConfig(name, &r, depth: depth, count: &count, issues: &issues)
        r.rejectUnknownKeys()
        issues.append(contentsOf: r.issues)
        guard issues.count == before, let config else { return nil }
        return SchedulerSpec(name: name, config: config, paramsPointer: pointer)
    }

    private static func decodeConfig(_ name: Name, _ r: inout ObjectReader, depth: Int,
                                     count: inout Int, issues: inout [FieldIssue]) -> Config? {
        let unit = "must be a number in [0, 1]"
        switch name {
        case .lambdaLR, .multiplicativeLR:
            guard let value = r.raw("lr_lambda") else {
                r.record("lr_lambda", "is required: a Python expression in `epoch`, e.g. \"0.95 ** epoch\"")
                return nil
            }
            guard case .string(let source) = value else {
                r.record("lr_lambda", "must be a string holding a Python expression in `epoch`, got \(value.shortDescription)")
                return nil
            }
            do {
                let expression = try LambdaExpression(parsing: source)
                return name == .lambdaLR ? .lambda(expression) : .multiplicative(expression)
            } catch {
                r.record("lr_lambda", "column \(error.column): \(error.message)")
                return nil
            }
        case .stepLR:
            let stepSize = r.int("step_size", in: SchedulerSpec.integers, requirement: "must be a non-zero integer")
            if stepSize == 0, r.contains("step_size") { r.record("step_size", "must be a non-zero integer, got 0") }
            let gamma = r.double("gamma", default: 0.1, requirement: "must be a number")
            return .step(stepSize: stepSize, gamma: gamma)
        case .multiStepLR:
            let milestones = r.intList("milestones", maxCount: maxMilestones, requirement: "must be a list of integer epochs")
            let gamma = r.double("gamma", default: 0.1, requirement: "must be a number")
            return milestones.map { .multiStep(milestones: $0, gamma: gamma) }
        case .constantLR:
            let factor = r.double("factor", default: 1.0 / 3, requirement: unit) { (0...1).contains($0) }
            let totalIters = r.int("total_iters", default: 5, in: SchedulerSpec.integers, requirement: "must be an integer")
            return .constant(factor: factor, totalIters: totalIters)
        case .linearLR:
            let start = r.double("start_factor", default: 1.0 / 3, requirement: "must be a number in (0, 1]") { $0 > 0 && $0 <= 1 }
            let end = r.double("end_factor", default: 1.0, requirement: unit) { (0...1).contains($0) }
            let totalIters = r.int("total_iters", default: 5, in: SchedulerSpec.integers, requirement: "must be an integer")
            return .linear(startFactor: start, endFactor: end, totalIters: totalIters)
        case .exponentialLR:
            let gamma = r.double("gamma", requirement: "must be a number")
            return .exponential(gamma: gamma)
        case .polynomialLR:
            let totalIters = r.int("total_iters", default: 5, in: SchedulerSpec.integers, requirement: "must be an integer")
            let power = r.double("power", default: 1.0, requirement: "must be a number")
            return .polynomial(totalIters: totalIters, power: power)
        case .cosineAnnealingLR:
            let tMax = r.int("T_max", in: 1...SchedulerSpec.integers.upperBound, requirement: "must be a positive integer")
            let etaMin = r.double("eta_min", default: 0.0, requirement: "must be a number")
            return .cosineAnnealing(tMax: tMax, etaMin: etaMin)
        case .cosineAnnealingWarmRestarts:
            let t0 = r.int("T_0", in: 1...Int(Int32.max), requirement: "must be a positive integer")
            let tMult = r.int("T_mult", default: 1, in: 1...Int(Int32.max), requirement: "must be an integer >= 1")
            let etaMin = r.double("eta_min", default: 0.0, requirement: "must be a number")
            return .warmRestarts(t0: t0, tMult: tMult, etaMin: etaMin)
        case .chainedScheduler, .sequentialLR:
            let children = decodeChildren(name, &r, depth: depth, count: &count, issues: &issues)
            if name == .chainedScheduler {
                return children.map { .chained($0) }
            }
            let milestones = r.intList("milestones", maxCount: maxMilestones, requirement: "must be a list of integer epochs")
            guard let children, let milestones else { return nil }
            guard milestones.count == children.count - 1 else {
                r.record("milestones", "must have one entry fewer than `schedulers` (\(children.count - 1)), got \(milestones.count)")
                return nil
            }
            return .sequential(children, milestones: milestones)
        case .reduceLROnPlateau:
            var o = ReduceLROnPlateau.Options()
            o.mode = r.choice("mode", default: .min)
            o.factor = r.double("factor", default: 0.1, requirement: "must be a number below 1.0") { $0 < 1 }
            o.patience = r.int("patience", default: 10, in: 0...Int.max, requirement: "must be a non-negative integer")
            o.threshold = r.double("threshold", default: 1e-4, requirement: "must be a non-negative number") { $0 >= 0 }
            o.thresholdMode = r.choice("threshold_mode", default: .rel)
            o.cooldown = r.int("cooldown", default: 0, in: 0...Int.max, requirement: "must be a non-negative integer")
            o.minLR = r.double("min_lr", default: 0, perGroup: true, requirement: "must be a non-negative number") { $0 >= 0 }
            o.eps = r.double("eps", default: 1e-8, requirement: "must be a non-negative number") { $0 >= 0 }
            return .plateau(o)
        case .cyclicLR:
            let base = r.double("base_lr", perGroup: true, requirement: "must be a non-negative number") { $0 >= 0 }
            let max = r.double("max_lr", perGroup: true, requirement: "must be a non-negative number") { $0 >= 0 }
            let up = r.double("step_size_up", default: 2000, requirement: "must be a positive number") { $0 > 0 }
            let down: Double? = r.contains("step_size_down")
                ? r.double("step_size_down", requirement: "must be a non-negative number") { $0 >= 0 }
                : { _ = r.raw("step_size_down"); return nil }()
            let mode: CyclicLR.Mode = r.choice("mode", default: .triangular)
            let gamma = r.double("gamma", default: 1.0, requirement: "must be a non-negative number") { $0 >= 0 }
            if r.raw("scale_fn") != nil {
                r.record("scale_fn", "custom scale functions are not supported; use `mode` (triangular, triangular2, exp_range)")
            }
            enum ScaleMode: String, CaseIterable { case cycle, iterations }
            _ = r.choice("scale_mode", default: ScaleMode.cycle)
            let momentum = decodeMomentum(&r, base: 0.8, max: 0.9)
            return .cyclic(Cyclic(baseLR: base, maxLR: max, stepSizeUp: up, stepSizeDown: down, mode: mode, gamma: gamma,
                                  momentum: momentum))
        case .oneCycleLR:
            let maxLR = r.double("max_lr", perGroup: true, requirement: "must be a positive number") { $0 > 0 }
            var totalSteps = 1
            if r.contains("total_steps") {
                totalSteps = r.int("total_steps", in: 1...Int.max, requirement: "must be a positive integer")
                _ = r.raw("epochs"); _ = r.raw("steps_per_epoch")
            } else if r.contains("epochs") && r.contains("steps_per_epoch") {
                let e = r.int("epochs", in: 1...Int.max, requirement: "must be a positive integer")
                let s = r.int("steps_per_epoch", in: 1...Int.max, requirement: "must be a positive integer")
                let (product, overflow) = e.multipliedReportingOverflow(by: s)
                if overflow { r.record("steps_per_epoch", "epochs × steps_per_epoch is too large") }
                totalSteps = product
            } else {
                _ = r.raw("total_steps"); _ = r.raw("epochs"); _ = r.raw("steps_per_epoch")
                r.record("total_steps", "is required: give `total_steps`, or both `epochs` and `steps_per_epoch`")
            }
            var pct = 0.3
            if let value = r.raw("pct_start") {
                // torch requires a Python float here: an integer literal such as 1 is refused.
                if case .double(let d) = value, d >= 0, d <= 1 {
                    pct = d
                } else {
                    r.record("pct_start", "must be a float in [0, 1] (torch refuses ints: write 1.0, not 1), got \(value.shortDescription)")
                }
            }
            let anneal: OneCycleLR.Anneal = r.choice("anneal_strategy", default: .cos)
            let momentum = decodeMomentum(&r, base: 0.85, max: 0.95)
            let div = r.double("div_factor", default: 25.0, requirement: "must be a positive number") { $0 > 0 }
            let finalDiv = r.double("final_div_factor", default: 1e4, requirement: "must be a positive number") { $0 > 0 }
            let threePhase = r.bool("three_phase", default: false)
            return .oneCycle(OneCycle(maxLR: maxLR, totalSteps: totalSteps, pctStart: pct, anneal: anneal,
                                      divFactor: div, finalDivFactor: finalDiv, threePhase: threePhase,
                                      momentum: momentum))
        }
    }

    /// `cycle_momentum`, `base_momentum`, `max_momentum`: the momentum range a cyclic schedule
    /// sweeps, or nil when it leaves the optimizer's momentum alone.
    private static func decodeMomentum(_ r: inout ObjectReader, base: Double, max: Double) -> (base: Double, max: Double)? {
        let cycle = r.bool("cycle_momentum", default: true)
        let b = r.double("base_momentum", default: base, perGroup: true, requirement: "must be a number")
        let m = r.double("max_momentum", default: max, perGroup: true, requirement: "must be a number")
        return cycle ? (b, m) : nil
    }

    private static func decodeChildren(_ name: Name, _ r: inout ObjectReader, depth: Int,
                                       count: inout Int, issues: inout [FieldIssue]) -> [SchedulerSpec]? {
        let key = "schedulers"
        let pointer = r.pointer.appending(key)
        guard let value = r.raw(key) else {
            r.record(key, "is required: a list of {\"scheduler\": ..., \"params\": {...}} objects")
            return nil
        }
        guard case .array(let items) = value, !items.isEmpty else {
            r.record(key, "must be a non-empty list of {\"scheduler\": ..., \"params\": {...}} objects, got \(value.shortDescription)")
            return nil
        }
        var children: [SchedulerSpec] = []
        var ok = true
        for (i, item) in items.enumerated() {
            let itemPointer = pointer.appending(i)
            guard case .object(let object) = item else {
                issues.append(FieldIssue(itemPointer, "must be an object {\"scheduler\": ..., \"params\": {...}}, got \(item.shortDescription)"))
                ok = false
                continue
            }
            for key in object.keys where key != "scheduler" && key != "params" {
                issues.append(FieldIssue(itemPointer.appending(key), "is not a known field (a child has only `scheduler` and `params`)"))
                ok = false
            }
            if case .string(ReduceLROnPlateau.name)? = object["scheduler"] {
                issues.append(FieldIssue(itemPointer.appending("scheduler"),
                    "\(name.rawValue) does not support ReduceLROnPlateau: it needs a metric on every step (torch refuses it too)"))
                ok = false
                continue
            }
            guard let child = decode(name: object["scheduler"], namePointer: itemPointer.appending("scheduler"),
                                     params: object["params"], pointer: itemPointer.appending("params"),
                                     depth: depth + 1, count: &count, issues: &issues) else {
                ok = false
                continue
            }
            children.append(child)
        }
        return ok ? children : nil
    }
}

extension ReduceLROnPlateau {
    /// The scheduler's class name in torch.
    static let name = "ReduceLROnPlateau"
}

extension SchedulerSpec {
    /// Builds torch's scheduler object on `group`, running its constructor (initial step included).
    func build(on group: ParamGroup) throws -> LRScheduler {
        let p = paramsPointer
        switch config {
        case .lambda(let e): return try LambdaLR(group: group, pointer: p, lambda: e)
        case .multiplicative(let e): return try MultiplicativeLR(group: group, pointer: p, lambda: e)
        case .step(let size, let gamma): return try StepLR(group: group, pointer: p, stepSize: size, gamma: gamma)
        case .multiStep(let milestones, let gamma):
            return try MultiStepLR(group: group, pointer: p, milestones: milestones, gamma: gamma)
        case .constant(let factor, let total):
            return try ConstantLR(group: group, pointer: p, factor: factor, totalIters: total)
        case .linear(let start, let end, let total):
            return try LinearLR(group: group, pointer: p, startFactor: start, endFactor: end, totalIters: total)
        case .exponential(let gamma): return try ExponentialLR(group: group, pointer: p, gamma: gamma)
        case .polynomial(let total, let power):
            return try PolynomialLR(group: group, pointer: p, totalIters: total, power: power)
        case .cosineAnnealing(let tMax, let etaMin):
            return try CosineAnnealingLR(group: group, pointer: p, tMax: tMax, etaMin: etaMin)
        case .warmRestarts(let t0, let tMult, let etaMin):
            return try CosineAnnealingWarmRestarts(group: group, pointer: p, t0: t0, tMult: tMult, etaMin: etaMin)
        case .chained(let specs):
            return ChainedScheduler(group: group, pointer: p, children: try specs.map { try $0.build(on: group) })
        case .sequential(let specs, let milestones):
            let children = try specs.map { try $0.build(on: group) }
            return try SequentialLR(group: group, pointer: p, children: children, milestones: milestones)
        case .cyclic(let c):
            return try CyclicLR(group: group, pointer: p, baseLR: c.baseLR, maxLR: c.maxLR, stepSizeUp: c.stepSizeUp,
                                stepSizeDown: c.stepSizeDown, mode: c.mode, gamma: c.gamma, momentumRange: c.momentum)
        case .oneCycle(let o):
            return try OneCycleLR(group: group, pointer: p, maxLR: o.maxLR, totalSteps: o.totalSteps, pctStart: o.pctStart,
                                  anneal: o.anneal, divFactor: o.divFactor, finalDivFactor: o.finalDivFactor,
                                  threePhase: o.threePhase, momentumRange: o.momentum)
        case .plateau:
            // Decoding refuses ReduceLROnPlateau inside composites; the top level steps it directly.
            throw ScheduleError.invalidSpec([FieldIssue(p, "ReduceLROnPlateau cannot be composed")])
        }
    }
}

extension LambdaExpression {
    /// A bound on the work of one evaluation: every operation takes at least two characters
    /// of source, so half the length bounds the number of operations.
    var cost: Int { source.utf8.count / 2 + 1 }
}
