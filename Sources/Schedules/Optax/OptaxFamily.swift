import Float32Math
import JSON

#if canImport(Glibc)
import Glibc
#endif

/// optax's schedules (`optax.*_schedule`, optax 0.2.8 on jax 0.10.2): pure functions of the step
/// count, evaluated in float32 inside the jitted update step. Each schedule replays the float32
/// expression XLA (CPU) actually runs after its algebraic simplifier: division by a constant as a
/// multiply by its float32 reciprocal, constants folded in float32, multiply-adds fused into FMAs,
/// `cos` as glibc's `cosf`. The answer is the exact double of that float32.
enum Optax {
    /// The family and its schedulers.
    static let family = Family(
        name: "optax",
        title: "optax (JAX) schedules, float32 as jit (or, with mode, eager evaluation) computes them",
        version: "0.2.8",
        stepping:
            "value k is schedule(start + k) in float32, as inside a jitted update step (the LR inject_hyperparams feeds the optimizer) or as mode says, given as the exact double of that float32",
        unit: "step",
        schedulers: [
            ConstantSchedule.self, LinearSchedule.self, PolynomialSchedule.self, CosineDecaySchedule.self,
            ExponentialDecay.self, PiecewiseConstantSchedule.self, PiecewiseInterpolateSchedule.self,
            WarmupConstantSchedule.self, WarmupCosineDecaySchedule.self, WarmupExponentialDecaySchedule.self,
            SGDRSchedule.self, LinearOnecycleSchedule.self, CosineOnecycleSchedule.self, JoinSchedules.self,
            ReduceOnPlateau.self,
        ],
        options: [mode]
    )

    /// The `mode` option: which of optax's three evaluations to replay.
    static let mode = FamilyOption(
        "mode",
        choices: OptaxMode.allCases.map(\.rawValue),
        default: OptaxMode.jit.rawValue,
        "jit: inside a jitted update step, as an optimizer reads it; eager: the schedule called on one step, op by op; eager_vector: called on a vector of steps"
    )

    /// The most boundaries a `boundaries_and_scales` object, a `join_schedules` or an
    /// `sgdr_schedule` may have.
    static let maxBoundaries = 1_000

    /// Step counts optax accepts in its int32 counter.
    static let steps = 0...Int(Int32.max)
    /// `transition_steps`-like arguments, any int32 (non-positive ones have a meaning).
    static let int32s = Int(Int32.min)...Int(Int32.max)

    /// The evaluation the request chose.
    static func mode(_ params: ParamsReader) -> OptaxMode {
        OptaxMode(rawValue: params.option(mode)) ?? .jit
    }

    /// Python's `float` constant as the weakly typed float32 XLA folds it into.
    @inline(__always)
    static func f32(_ value: Double) -> Float { Float(value) }

    /// `1 / n` as XLA folds the divisor of `x / n` into a multiply: the float32 reciprocal of
    /// `f32(n)`.
    @inline(__always)
    static func reciprocal(_ n: Int32) -> Float { Float(1) / Float(n) }

    /// Reads an optax `boundaries_and_scales` dictionary, given in JSON as an object of step →
    /// scale (`{"1000": 0.1}`): keys are decimal int32 steps, values numbers. Returns the pairs
    /// sorted by step, as optax's `sorted(boundaries_and_scales.items())`; `[]` when absent.
    /// Nil after recording a problem.
    static func boundariesAndScales(_ p: Parameter, in params: inout ParamsReader) -> [(step: Int32, scale: Double)]? {
        guard let value = params.raw(p.name) else { return [] }
        guard case .object(let object) = value, object.count <= maxBoundaries else {
            params.record(
                p.name,
                "must be \(p.constraint) (at most \(maxBoundaries) entries), got \(value.shortDescription)"
            )
            return nil
        }
        var pairs: [(step: Int32, scale: Double)] = []
        var seen: [Int32: String] = [:]
        var ok = true
        for (key, item) in object.members {
            let pointer = params.pointer.appending(p.name).appending(key)
            guard let step = parseStep(key) else {
                params.record(
                    FieldIssue(
                        pointer,
                        "the key must be an integer step from \(Int32.min) to \(Int32.max), got \"\(key)\""
                    )
                )
                ok = false
                continue
            }
            if let other = seen[step] {
                params.record(FieldIssue(pointer, "is step \(step) again (also given as \"\(other)\")"))
                ok = false
                continue
            }
            seen[step] = key
            guard let scale = item.doubleValue, scale.isFinite else {
                params.record(
                    FieldIssue(pointer, "must be a number (the scale from this step on), got \(item.shortDescription)")
                )
                ok = false
                continue
            }
            pairs.append((step, scale))
        }
        return ok ? pairs.sorted { $0.step < $1.step } : nil
    }

    /// A JSON key as an int32 step: an optional sign and decimal digits.
    private static func parseStep(_ key: String) -> Int32? {
        var digits = Substring(key)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int32(key)
    }
}

/// How an optax schedule is evaluated; the three give different float32 values.
enum OptaxMode: String, CaseIterable, Sendable {
    /// Inside `jax.jit` (an update step): XLA's rewrites (reciprocal multiplies, folded
    /// constants, FMAs, `pow` specialisations).
    case jit
    /// `schedule(step)` on one step outside jit: each jnp op runs alone, in Python's order, with
    /// IEEE divisions, no FMA and glibc `powf` for every float power.
    case eager
    /// `schedule(steps)` on a vector outside jit: as `eager`, except that a division by a
    /// constant is a multiply by its float32 reciprocal.
    case eagerVector = "eager_vector"

    /// `x / d` as this evaluation computes it (`d` a Python constant).
    @inline(__always)
    func divide(_ x: Float, by d: Float) -> Float {
        self == .eager ? x / d : x * (1 / d)
    }

    /// `x ** p` for a Python float `p`: XLA's specialisations under jit, glibc `powf` otherwise.
    @inline(__always)
    func power(_ x: Float, _ p: Double) -> Float {
        self == .jit ? XLA.power(x, constant: p) : XLA.pow(x, Float(p))
    }
}

/// The transition `linear_schedule` and `polynomial_schedule` share (`polynomial_schedule` with
/// `power=1` is `linear_schedule`): `c = clip(count - transition_begin, 0, transition_steps)` in
/// int32 and `1 - c / transition_steps`, which jit runs as `fma(-f32(c), f32(1/T), 1)` (eager:
/// `1 - f32(c) / f32(T)`, then `f32(init - end) * shaped + f32(end)` op by op). So the
/// fraction at the end is `1 - T·f32(1/T)`, not always 0 (−4.7e-8 for T = 1000). A non-positive
/// `transition_steps` means the constant `init_value`; a negative `transition_begin` counts as 0.
struct OptaxTransition: Sendable {
    static let initValue = Parameter.float("init_value", "a number", "the value before and at the start")
    static let endValue = Parameter.float("end_value", "a number", "the value at and after the end")
    static let transitionSteps = Parameter.int(
        "transition_steps",
        "an integer (not positive: the value stays init_value)",
        "steps from init_value to end_value",
        acceptsIntegralFloat: false
    )
    static let transitionBegin = Parameter.int(
        "transition_begin",
        default: 0,
        "an integer (negative counts as 0)",
        "steps before the transition starts",
        acceptsIntegralFloat: false
    )

    let initial: Double
    let end: Double
    let steps: Int32
    let begin: Int32
    let mode: OptaxMode

    /// Reads `init_value` and `end_value` (call first, in optax's order) ...
    static func endpoints(_ params: inout ParamsReader) -> (initial: Double, end: Double) {
        (params.double(initValue) { $0.isFinite }, params.double(endValue) { $0.isFinite })
    }

    /// ... and, after the schedule's own parameters, `transition_steps` and `transition_begin`.
    init(endpoints: (initial: Double, end: Double), decoding params: inout ParamsReader) {
        self.init(
            initial: endpoints.initial,
            end: endpoints.end,
            steps: Int32(params.int(Self.transitionSteps, in: Optax.int32s)),
            begin: Int32(params.int(Self.transitionBegin, in: Optax.int32s)),
            mode: Optax.mode(params)
        )
    }

    /// The transition from `initial` to `end` over `steps` after `begin`.
    init(initial: Double, end: Double, steps: Int32, begin: Int32, mode: OptaxMode) {
        self.initial = initial
        self.end = end
        self.steps = steps
        self.begin = max(0, begin)
        self.mode = mode
    }

    /// `1 - c / transition_steps` at `count`, or nil when `transition_steps` is not positive.
    func fraction(at count: Int32) -> Float? {
        guard steps > 0 else { return nil }
        let (shifted, overflow) = count.subtractingReportingOverflow(begin)
        let c = overflow ? (begin > 0 ? Int32.min : Int32.max) : shifted
        let x = XLA.convert(min(steps, max(0, c)))
        if mode != .jit { return 1 - mode.divide(x, by: XLA.convert(steps)) }
        return Float(1).addingProduct(-x, Float(1) / XLA.convert(steps))
    }

    /// `(init - end) * shaped + end` as jit runs it: `fma(shaped, f32(init - end), f32(end))`,
    /// the difference taken in Python float64; `init_value` when the transition is disabled.
    func value(at count: Int32, shape: (Float) -> Float) -> Float {
        guard let f = fraction(at: count).map(XLA.flush) else { return Optax.f32(initial) }
        if mode != .jit {
            return XLA.flush(XLA.flush(Optax.f32(initial - end) * XLA.flush(shape(f))) + Optax.f32(end))
        }
        return XLA.flush(Optax.f32(end).addingProduct(XLA.flush(shape(f)), Optax.f32(initial - end)))
    }
}

/// An optax schedule: `value(at: count)` is the float32 the jitted schedule returns. XLA's CPU
/// kernels run with flush-to-zero and denormals-are-zero: schedules flush the intermediate
/// results that can turn subnormal, and `OptaxSchedule` flushes every value it answers.
protocol OptaxClosedForm: SchedulerDefinition {
    /// The jitted schedule's float32 at step `count` (negative counts only reach a schedule
    /// inside `join_schedules`, which discards their values).
    func value(at count: Int32) -> Float
}

/// `optax.join_schedules(schedules, boundaries)` as jit runs it: `schedules[0](step)`, then for
/// each `(boundary, schedule)` pair (Python's `zip`, so extra entries of either list are
/// ignored) `where(step < boundary, output, schedule(step - boundary))`, the subtraction in
/// int32. Source: `optax/schedules/_join.py`.
struct OptaxJoin: Sendable {
    let first: any OptaxClosedForm
    let rest: [(boundary: Int32, schedule: any OptaxClosedForm)]

    init(_ schedules: [any OptaxClosedForm], boundaries: [Int32]) {
        first = schedules[0]
        rest = Array(zip(boundaries, schedules.dropFirst()).map { (boundary: $0, schedule: $1) })
    }

    func value(at step: Int32) -> Float {
        // The last pair whose boundary the step has reached decides (later `where`s win).
        for (boundary, schedule) in rest.reversed() where step >= boundary {
            return schedule.value(at: step &- boundary)
        }
        return first.value(at: step)
    }
}

extension OptaxClosedForm {
    static var learningRate: LearningRatePolicy { .none }

    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
        OptaxSchedule(self)
    }
}

/// Steps an optax schedule: value k is the schedule at count k.
final class OptaxSchedule<Definition: OptaxClosedForm>: Schedule {
    let definition: Definition
    // Touched on every step by this schedule's one evaluation only: no dynamic exclusivity checks.
    @exclusivity(unchecked) var count: Int32 = 0

    init(_ definition: Definition) {
        self.definition = definition
    }

    var groupCount: Int { 1 }

    func lr(group: Int) -> Double { Double(XLA.flush(definition.value(at: count))) }

    func step(metric: Double?) throws(ScheduleFault) {
        // optax's counter saturates at the int32 maximum (`numerics.safe_increment`).
        if count < Int32.max { count += 1 }
    }
}
