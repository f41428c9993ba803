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
        title: "optax (JAX) schedules, float32 as jit evaluates them",
        version: "0.2.8",
        stepping:
            "value k is schedule(start + k) in float32, as inside a jitted update step (the LR inject_hyperparams feeds the optimizer), given as the exact double of that float32",
        schedulers: [ConstantSchedule.self, LinearSchedule.self, PolynomialSchedule.self, CosineDecaySchedule.self]
    )

    /// Step counts optax accepts in its int32 counter.
    static let steps = 0...Int(Int32.max)
    /// `transition_steps`-like arguments, any int32 (non-positive ones have a meaning).
    static let int32s = Int(Int32.min)...Int(Int32.max)

    /// Python's `float` constant as the weakly typed float32 XLA folds it into.
    @inline(__always)
    static func f32(_ value: Double) -> Float { Float(value) }
}

/// An optax schedule: `value(at: count)` is the float32 the jitted schedule returns.
protocol OptaxClosedForm: SchedulerDefinition {
    /// The jitted schedule's float32 at step `count`.
    func value(at count: Int32) -> Float
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
    var count: Int32 = 0

    init(_ definition: Definition) {
        self.definition = definition
    }

    var groupCount: Int { 1 }

    func lr(group: Int) -> Double { Double(definition.value(at: count)) }

    func step(metric: Double?) throws(ScheduleFault) {
        // optax's counter saturates at the int32 maximum (`numerics.safe_increment`).
        if count < Int32.max { count += 1 }
    }
}
