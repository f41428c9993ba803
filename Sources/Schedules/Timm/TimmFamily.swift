import JSON

/// timm's `timm.scheduler` classes: closed-form functions of the step that write absolute values
/// into the optimizer's groups, driven by timm's `train.py` with `step(epoch + 1)` after each epoch
/// (or `step_update(num_updates)` after each update).
enum Timm {
    /// The family and its schedulers.
    static let family = Family(
        name: "timm",
        title: "timm (pytorch-image-models) timm.scheduler",
        version: "1.0.31",
        stepping:
            "value 0 is the LR after construction; value k >= 1 the LR after step(k) (step_update(k) when t_in_epochs is false; step(k, metrics[k-1]) for PlateauLRScheduler)",
        schedulers: [
            CosineLRScheduler.self, TanhLRScheduler.self, StepLRScheduler.self, MultiStepLRScheduler.self,
            PlateauLRScheduler.self, PolyLRScheduler.self, WSDLRScheduler.self,
        ]
    )

    /// Step counts: non-negative and exact as floats.
    static let steps = 0...(1 << 53)

    static let warmupT = Parameter.int(
        "warmup_t",
        default: 0,
        "a non-negative integer",
        "steps of linear warm-up from warmup_lr_init"
    )
    static let warmupLRInit = Parameter.float(
        "warmup_lr_init",
        default: 0,
        "a non-negative number",
        "the LR at step 0 of the warm-up"
    )
    static func warmupPrefix(default value: Bool) -> Parameter {
        .bool(
            "warmup_prefix",
            default: value,
            "whether the schedule starts after the warm-up (true) or runs under it from step 0 (false)"
        )
    }
    static let tInEpochs = Parameter.bool(
        "t_in_epochs",
        default: true,
        "whether train.py steps it per epoch (step) or per update (step_update); the values are the same"
    )
    static let lrMin = Parameter.float("lr_min", default: 0, "a non-negative number", "the LR the schedule decays to")
    static let initialize = Parameter.bool(
        "initialize",
        default: true,
        "sets initial_lr from the optimizer's lr (no effect on a fresh optimizer)"
    )
}

/// timm's linear warm-up, shared by every class: while `t < warmup_t`,
/// `lr = warmup_lr_init + t * s` with `s = (v - warmup_lr_init) / warmup_t` per group, `v` being the
/// group's base LR (or, for `TanhLRScheduler` without prefix, its LR at `warmup_t`). The constructor
/// writes `warmup_lr_init` into every group when `warmup_t` is non-zero.
struct Warmup: Sendable {
    let steps: Int
    let initLR: Double

    init(_ params: inout ParamsReader) {
        steps = params.int(Timm.warmupT, in: Timm.steps)
        initLR = params.double(Timm.warmupLRInit) { $0 >= 0 }
    }

    /// `warmup_steps`: the slope of each group, towards `targets`.
    func slopes(towards targets: [Double]) -> [Double] {
        steps != 0 ? targets.map { ($0 - initLR) / Double(steps) } : targets.map { _ in 1 }
    }

    /// `warmup_lr_init + t * s` for each group.
    func values(at t: Int, slopes: [Double], into lrs: inout [Double]) {
        for g in lrs.indices { lrs[g] = initLR + Double(t) * slopes[g] }
    }
}

/// timm's noise (`Scheduler._add_noise`): inside `noise_range_t` (`lo <= t < hi` for a pair,
/// `t >= lo` for a number) every value becomes `v + v * noise`, with `noise` drawn from
/// `torch.Generator().manual_seed(noise_seed + t)`: `randn(1) * noise_std` resampled until
/// `|noise| < noise_pct` (`normal`), else `2 * (rand(1) - 0.5) * noise_pct`.
struct Noise: Sendable {
    let range: (lo: Double, hi: Double?)?
    let normal: Bool
    let pct: Double
    let std: Double
    let seed: Int

    /// The most draws a `normal` noise may take on average; beyond it a request is refused (timm
    /// would spin for a very long time).
    static let maxExpectedDraws = 10_000.0
    /// The most draws one step may take before lrsched gives up (far in the tail when the
    /// expectation is within `maxExpectedDraws`).
    static let maxDraws = 10_000_000

    static let rangeT = Parameter(
        "noise_range_t",
        type: "number | [number, number]",
        default: .none,
        constraint: "a number or a list of two numbers",
        meaning: "the steps with noise: [lo, hi) or from lo on"
    )
    static let type = Parameter.choice(
        "noise_type",
        default: "normal",
        ["normal", "uniform"],
        "normal (resampled randn) or, for any other value, uniform noise"
    )
    static let pct = Parameter.float(
        "noise_pct",
        default: 0.67,
        "a number",
        "the noise's bound, as a fraction of the LR"
    )
    static let std = Parameter.float("noise_std", default: 1.0, "a number", "the normal noise's standard deviation")
    static let seed = Parameter(
        "noise_seed",
        type: "int",
        default: .int(42),
        constraint: "an integer, not a float (torch's manual_seed expects a long)",
        meaning: "the generator is seeded with noise_seed + t",
        acceptsIntegralFloat: false
    )

    /// The noise parameters of a class, in timm's order (`typed`: the class takes `noise_type`).
    static func parameters(typed: Bool) -> [Parameter] {
        typed ? [rangeT, type, pct, std, seed] : [rangeT, pct, std, seed]
    }

    init(_ params: inout ParamsReader, typed: Bool) {
        var range: (Double, Double?)?
        if let value = params.raw(Self.rangeT.name) {
            switch value {
            case .array(let items) where items.count == 2 && items.allSatisfy { $0.doubleValue?.isFinite == true }:
                range = (items[0].doubleValue!, items[1].doubleValue!)
            default:
                if let d = value.doubleValue, d.isFinite {
                    range = (d, nil)
                } else {
                    params.record(Self.rangeT.name, "must be \(Self.rangeT.constraint), got \(value.shortDescription)")
                }
            }
        }
        self.range = range
        if typed, let value = params.raw(Self.type.name) {
            guard case .string(let s) = value else {
                params.record(
                    Self.type.name,
                    "must be a string (\"normal\", or anything else for uniform noise), got \(value.shortDescription)"
                )
                normal = true
                pct = 0
                std = 0
                seed = 0
                return
            }
            normal = s == "normal"
        } else {
            normal = true
        }
        pct = params.double(Self.pct)
        std = params.double(Self.std)
        seed = params.int(Self.seed, in: -(1 << 62)...(1 << 62))
        if range != nil, normal, pct <= 0 {
            params.record(
                Self.pct.name,
                "must be positive with normal noise: timm resamples until |noise| < noise_pct, which never ends, got \(pct)"
            )
        } else if range != nil, expectedDraws > Self.maxExpectedDraws {
            params.record(
                Self.pct.name,
                "is too small for noise_std \(std): timm would draw about \(expectedDraws.rounded()) normal samples per step until one falls below noise_pct (at most \(Int(Self.maxExpectedDraws)) are accepted)"
            )
        }
    }

    /// How many `randn` draws a step takes on average: 1 / P(|N(0, 1) * noise_std| < noise_pct).
    var expectedDraws: Double {
        guard range != nil, normal, std != 0 else { return 1 }
        let accept = ExprLibm.erf(pct / (Swift.abs(std) * 2.0.squareRoot()))
        return accept > 0 ? 1 / accept : .infinity
    }

    /// The work of one step, in units of one simple scheduler step: each draw costs about as much.
    var cost: Int { 1 + Int(Swift.min(expectedDraws, Self.maxExpectedDraws).rounded(.up)) }

    /// The noise at step `t`, or nil outside the range.
    func noise(at t: Int) throws(ScheduleFault) -> Double? {
        guard let range else { return nil }
        let x = Double(t)
        if let hi = range.hi {
            guard range.lo <= x && x < hi else { return nil }
        } else {
            guard x >= range.lo else { return nil }
        }
        var generator = TorchGenerator(seed: seed + t)
        guard normal else { return 2 * (generator.rand() - 0.5) * pct }
        for _ in 0..<Self.maxDraws {
            let noise = generator.randn() * std
            if Swift.abs(noise) < pct { return noise }
        }
        throw ScheduleFault(
            "no normal noise below noise_pct in \(Self.maxDraws) draws at step \(t) (timm would keep drawing)",
            parameter: Self.std.name
        )
    }

    /// `_add_noise`: `v + v * noise` for every group.
    func apply(at t: Int, to lrs: inout [Double]) throws(ScheduleFault) {
        guard let noise = try noise(at: t) else { return }
        for g in lrs.indices { lrs[g] = lrs[g] + lrs[g] * noise }
    }
}

/// A timm scheduler whose `_get_lr(t)` is a closed form: value 0 is what the constructor writes,
/// value t ≥ 1 is `_get_lr(t)` with noise.
protocol TimmClosedForm: SchedulerDefinition {
    /// The noise configuration.
    var noise: Noise { get }
    /// The constructor's `warmup_t` and `warmup_lr_init`.
    var warmup: Warmup { get }
    /// `warmup_steps` for groups whose base LRs are `bases` (an override reads `_get_lr(warmup_t)`).
    func warmupSlopes(bases: [Double]) throws(ScheduleFault) -> [Double]
    /// `_get_lr(t)` after the warm-up, for every group.
    func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault)
}

extension TimmClosedForm {
    var costPerEpoch: Int { noise.cost }

    func warmupSlopes(bases: [Double]) throws(ScheduleFault) -> [Double] { warmup.slopes(towards: bases) }

    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
        try TimmSchedule(self, bases: lrs)
    }
}

/// A closed-form timm scheduler over every group, stepped by `step(t)` with t = 1, 2, ...
final class TimmSchedule<Definition: TimmClosedForm>: Schedule {
    let definition: Definition
    let bases: [Double]
    let slopes: [Double]
    // Only this schedule's own step touches these (no overlapping access to check at run time).
    @exclusivity(unchecked) var lrs: [Double]
    @exclusivity(unchecked) var t = 0

    init(_ definition: Definition, bases: [Double]) throws(ScheduleFault) {
        self.definition = definition
        self.bases = bases
        self.slopes = try definition.warmupSlopes(bases: bases)
        self.lrs = definition.warmup.steps != 0 ? bases.map { _ in definition.warmup.initLR } : bases
    }

    var groupCount: Int { bases.count }

    func lr(group: Int) -> Double { lrs[group] }

    func step(metric: Double?) throws(ScheduleFault) {
        t += 1
        if t < definition.warmup.steps {
            definition.warmup.values(at: t, slopes: slopes, into: &lrs)
        } else {
            try definition.values(at: t, bases: bases, into: &lrs)
        }
        try definition.noise.apply(at: t, to: &lrs)
    }
}

/// The cycle arithmetic of `CosineLRScheduler`, `TanhLRScheduler` and `PolyLRScheduler`: which
/// cycle `i` step `t` falls in, its length `t_i` and the position `t_curr` in it.
///
/// `cycle_mul != 1`: `i = floor(log(1 - t / t_initial * (1 - cycle_mul), cycle_mul))`,
/// `t_i = cycle_mul ** i * t_initial`, `t_curr = t - (1 - cycle_mul ** i) / (1 - cycle_mul) * t_initial`;
/// otherwise `i = t // t_initial`, `t_i = t_initial`, `t_curr = t - t_initial * i`.
/// `cycle_mul < 1` raises ValueError (math domain) once `t` reaches `t_initial / (1 - cycle_mul)`.
struct Cycles: Sendable {
    /// `t_initial`: an int in timm's signature, but a float works too (cycles then fall between steps).
    let tInitial: Double
    let mul: Double
    let decay: Double
    let limit: Int

    static let tInitial = Parameter(
        "t_initial",
        type: "int | float",
        default: .required,
        constraint: "a positive number",
        meaning: "the length of the first cycle"
    )
    static let mul = Parameter.float("cycle_mul", default: 1.0, "a number", "the factor by which each cycle is longer")
    static let decay = Parameter.float(
        "cycle_decay",
        default: 1.0,
        "a number",
        "the factor applied to the peak LR each cycle"
    )
    static let limit = Parameter.int(
        "cycle_limit",
        default: 1,
        "a non-negative integer",
        "how many cycles run before the LR stays at lr_min"
    )

    init(_ params: inout ParamsReader) {
        tInitial = params.double(Self.tInitial) { $0 > 0 }
        mul = params.double(Self.mul)
        decay = params.double(Self.decay)
        limit = params.int(Self.limit, in: 0...(1 << 53))
    }

    /// `(i, t_i, t_curr)` at step `t` (`i` is an int, or a float when `t_initial` is one).
    func position(_ t: Int) throws(ScheduleFault) -> (i: Double, length: Double, current: Double) {
        do throws(ExprFault) {
            if mul != 1 {
                let x = 1 - (try PythonFloat.divide(Double(t), tInitial)) * (1 - mul)
                guard case .float(let log) = try PythonArithmetic.logWithBase(.float(x), .float(mul)) else {
                    throw ExprFault.mathDomain
                }
                let i = try PythonFloat.floor(log)
                let power = try PythonFloat.power(mul, Double(i))
                let length = power * tInitial
                let current = Double(t) - (try PythonFloat.divide(1 - power, 1 - mul)) * tInitial
                return (Double(i), length, current)
            }
            // t // t_initial and t - t_initial * i: exact on ints, Python's float floor division otherwise.
            let i = PythonArithmetic.floatDivMod(Double(t), tInitial).floorDiv
            return (i, tInitial, Double(t) - tInitial * i)
        } catch {
            throw ScheduleFault(error.message, parameter: Self.mul.name)
        }
    }

    /// `cycle_decay ** i`.
    func gamma(_ i: Double) throws(ScheduleFault) -> Double {
        do { return try PythonFloat.power(decay, i) } catch {
            throw ScheduleFault(error.message, parameter: Self.decay.name)
        }
    }
}

/// What `CosineLRScheduler` and `PolyLRScheduler` share: cycles, `lr_min`, the warm-up and its
/// prefix, noise and `k_decay`, read in timm's keyword order around the class's own (`between`).
struct DecayingCycles: Sendable {
    let cycles: Cycles
    let lrMin: Double
    let warmup: Warmup
    let prefix: Bool
    let noise: Noise
    let k: Double

    static let kDecay = Parameter.float("k_decay", default: 1.0, "a number", "the exponent k in t_curr ** k / t_i ** k")

    /// The keywords of a class whose own keywords `own` follow `t_initial`.
    static func parameters(own: [Parameter]) -> [Parameter] {
        [Cycles.tInitial] + own + [
            Timm.lrMin, Cycles.mul, Cycles.decay, Cycles.limit, Timm.warmupT, Timm.warmupLRInit,
            Timm.warmupPrefix(default: false), Timm.tInEpochs,
        ] + Noise.parameters(typed: false) + [kDecay, Timm.initialize]
    }

    /// Reads the shared keywords, calling `between` right after `t_initial`.
    init(_ params: inout ParamsReader, between: (inout ParamsReader) -> Void) {
        cycles = Cycles(&params)
        between(&params)
        lrMin = params.double(Timm.lrMin) { $0 >= 0 }
        warmup = Warmup(&params)
        prefix = params.bool(Timm.warmupPrefix(default: false))
        _ = params.bool(Timm.tInEpochs)
        noise = Noise(&params, typed: false)
        k = params.double(Self.kDecay)
        _ = params.bool(Timm.initialize)
    }

    /// Within a cycle at step `t`: `cycle_decay ** i`, `t_curr ** k` and `t_i ** k`; nil once
    /// `cycle_limit` cycles have run (the LR is then `lr_min`). `cycle_decay ** i` is computed
    /// first, as both classes do, so its errors come before the limit check.
    func position(at t: Int) throws(ScheduleFault) -> (gamma: Double, current: Double, length: Double)? {
        let (i, length, current) = try cycles.position(prefix ? t - warmup.steps : t)
        let gamma = try cycles.gamma(i)
        guard i < Double(cycles.limit) else { return nil }
        do {
            return (gamma, try PythonFloat.power(current, k), try PythonFloat.power(length, k))
        } catch {
            throw ScheduleFault(error.message, parameter: Self.kDecay.name)
        }
    }
}
