/// Hugging Face transformers' schedulers, as `transformers.get_scheduler` builds them.
enum Transformers {
    /// The family and its schedulers, in `SchedulerType` order.
    static let family = Family(
        name: "transformers",
        title: "Hugging Face transformers get_scheduler",
        version: "5.24.0",
        stepping:
            "value k is scheduler.get_last_lr() after start + k calls of step() (step(metrics[i]) for reduce_lr_on_plateau and greedy)",
        unit: "step",
        schedulers: [
            Linear.self, Cosine.self, CosineWithRestarts.self, Polynomial.self, Constant.self,
            ConstantWithWarmup.self, InverseSqrt.self, ReduceOnPlateau.self, CosineWithMinLR.self,
            CosineWarmupWithMinLR.self, WarmupStableDecay.self, Greedy.self,
        ]
    )

    /// The step counts a request may give: exact as floats (transformers does not check their sign).
    static let steps = -(1 << 53)...(1 << 53)

    /// `num_warmup_steps`: required by every type but constant, reduce_lr_on_plateau and greedy.
    static let warmupSteps = Parameter(
        "num_warmup_steps",
        type: "int",
        default: .required,
        constraint: "an integer",
        meaning: "steps of linear warm-up from 0 to the base LR"
    )
    /// `num_training_steps`: required by the decaying types.
    static let trainingSteps = Parameter(
        "num_training_steps",
        type: "int",
        default: .required,
        constraint: "an integer",
        meaning: "the total number of training steps; the decay ends there"
    )
    /// `num_cycles` with its default for the cosine types.
    static func cycles(default value: Double, _ meaning: String) -> Parameter {
        Parameter.float("num_cycles", default: value, "a number", meaning)
    }

    /// A `get_scheduler` argument that this type accepts and ignores, whatever its value (it
    /// never reaches code that would check it).
    static func ignored(_ p: Parameter, by name: String) -> Parameter {
        Parameter(
            p.name,
            type: "any",
            default: .none,
            constraint: "any value",
            meaning: "accepted and ignored: get_scheduler builds \(name) without it"
        )
    }

    /// Reads `num_warmup_steps` or `num_training_steps` that `name` requires.
    static func required(_ p: Parameter, of name: String, in params: inout ParamsReader) -> Int {
        guard params.contains(p.name) else {
            _ = params.raw(p.name)
            params.record(p.name, "is required: get_scheduler raises ValueError: \(name) requires `\(p.name)`")
            return 0
        }
        return params.int(p, in: steps)
    }

    /// Reads every keyword `name` ignores, returning one warning per keyword given.
    static func ignoring(_ keywords: [String], of name: String, in params: inout ParamsReader) -> [String] {
        keywords.compactMap { key in
            guard params.raw(key) != nil else { return nil }
            return "\(key) is ignored: get_scheduler builds \(name) without it"
        }
    }

    /// Reads every keyword of `params` except `kept`: get_scheduler drops all scheduler-specific
    /// keywords of `name`, whatever they are, so each one given is a warning, not an error.
    static func ignoringAll(except kept: [String], of name: String, in params: inout ParamsReader) -> [String] {
        let keys = params.object.object.keys.filter { !kept.contains($0) }
        return ignoring(keys, of: name, in: &params)
    }
}

/// A transformers schedule built on `torch.optim.lr_scheduler.LambdaLR`: a factor function of the
/// step (`lr_lambda`), replayed in transformers' own operation order.
protocol TransformersLambda: SchedulerDefinition {
    /// The configuration once the optimizer is known: some types read `optimizer.defaults["lr"]`
    /// (`lrInit`, group 0's LR) or raise in their constructor.
    func prepared(lrInit: Double) throws(ScheduleFault) -> Self
    /// `lr_lambda(step)`.
    func factor(at step: Int) throws(ExprFault) -> Double
    /// Steps one group's `LambdaLR` `count` times from epoch `step`, appending `base ×
    /// lr_lambda(step)` for each (see ``appendSteps(_:to:_:)``); `step` and `lr` are left at the
    /// last step taken. Not for conforming types to implement: the extension's loop, as each
    /// type's witness, is compiled for that type, so `factor(at:)` is called directly.
    func appendRates(
        _ count: Int,
        step: inout Int,
        lr: inout Double,
        base: Double,
        to values: inout [Double]
    ) throws(ScheduleFault) -> Int
}

extension TransformersLambda {
    func prepared(lrInit: Double) throws(ScheduleFault) -> Self { self }

    func appendRates(
        _ count: Int,
        step: inout Int,
        lr: inout Double,
        base: Double,
        to values: inout [Double]
    ) throws(ScheduleFault) -> Int {
        // Locals, not the `inout` parameters, in the loop: captured by the closure, those cost
        // about 50 instructions a step.
        var current = step
        var rate = lr
        defer {
            step = current
            lr = rate
        }
        return try appendSteps(count, to: &values) { () throws(ScheduleFault) -> Double in
            current += 1
            let factor: Double
            do throws(ExprFault) { factor = try self.factor(at: current) } catch { throw error.scheduleFault }
            rate = base * factor
            return rate
        }
    }

    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
        try LambdaSchedule(prepared(lrInit: lrs[0]), bases: lrs)
    }

    func makeSchedule(lrs: [Double], defaultLR: Double) throws(ScheduleFault) -> any Schedule {
        try LambdaSchedule(prepared(lrInit: defaultLR), bases: lrs)
    }

    /// `float(current_step) / float(max(1, num_warmup_steps))`: the warm-up every type shares.
    @inline(__always)
    func warmup(_ step: Int, _ warmupSteps: Int) -> Double {
        Double(step) / Double(Swift.max(1, warmupSteps))
    }
}

/// `LambdaLR(optimizer, lr_lambda)` over every group: `lr = base_lr * lr_lambda(last_epoch)`.
final class LambdaSchedule<Lambda: TransformersLambda>: Schedule {
    let lambda: Lambda
    let bases: [Double]
    // Touched on every step by this schedule's one evaluation only: no dynamic exclusivity checks.
    @exclusivity(unchecked) var lrs: [Double]
    @exclusivity(unchecked) var epoch = 0

    init(_ lambda: Lambda, bases: [Double]) throws(ScheduleFault) {
        self.lambda = lambda
        self.bases = bases
        self.lrs = bases
        try update()
    }

    var groupCount: Int { bases.count }

    func lr(group: Int) -> Double { lrs[group] }

    func step(metric: Double?) throws(ScheduleFault) {
        epoch += 1
        try update()
    }

    func advance(_ count: Int, appendingTo values: inout [Double]) throws(ScheduleFault) -> Int {
        guard bases.count == 1 else {
            // `step` then group 0's rate, called directly rather than through the protocol per step.
            return try appendSteps(count, to: &values) { () throws(ScheduleFault) -> Double in
                epoch += 1
                try update()
                return lrs[0]
            }
        }
        // One group: the state in locals for the loop, stored back however it ends (a step that
        // throws has counted its epoch and left the rate at the step before, as `step` does).
        var step = epoch
        var lr = lrs[0]
        defer {
            epoch = step
            lrs[0] = lr
        }
        return try lambda.appendRates(count, step: &step, lr: &lr, base: bases[0], to: &values)
    }

    @inline(__always)
    private func update() throws(ScheduleFault) {
        let factor: Double
        do { factor = try lambda.factor(at: epoch) } catch { throw error.scheduleFault }
        for g in bases.indices { lrs[g] = bases[g] * factor }
    }
}
