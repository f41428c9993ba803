import Float32Math
import JSON

/// Keras 3's learning-rate schedules (`keras.optimizers.schedules`, Keras 3.15) and its
/// `ReduceLROnPlateau` callback. A schedule's value k is the float32 learning rate the optimizer
/// applies in iteration k of `model.fit`, computed by the backend `backend` selects:
/// - `jax` (default): XLA compiles the schedule into the train step, rewriting it as for optax
///   (reciprocal multiplies, constants folded in float32, FMAs where a product has one use,
///   glibc `cosf`/`powf`, XLA's own `log`, flush-to-zero);
/// - `torch`: eager float32 tensor ops in the order Keras writes them, IEEE division, no FMA;
///   glibc `powf` (which 0-d torch `pow` equals) and `cosf`/`logf` standing in for the MKL
///   `cos`/`log` torch calls, so schedules using those answer `exact: false`.
enum Keras {
    /// The backend option.
    static let backend = FamilyOption(
        "backend",
        choices: ["jax", "torch"],
        default: "jax",
        "the Keras backend whose float32 ops compute the schedule"
    )

    /// The family and its schedulers.
    static let family = Family(
        name: "keras",
        title: "Keras 3 keras.optimizers.schedules and ReduceLROnPlateau, float32",
        version: "3.15.1",
        stepping:
            "value k is the float32 learning rate of iteration k of model.fit (an epoch for ReduceLROnPlateau), as the backend computes it, given as the exact double of that float32",
        unit: "step",
        schedulers: [
            ExponentialDecay.self, PiecewiseConstantDecay.self, PolynomialDecay.self, InverseTimeDecay.self,
            CosineDecay.self, CosineDecayRestarts.self, ReduceLROnPlateau.self,
        ],
        options: [backend]
    )

    /// Whether the request chose the torch backend.
    static func isTorch(_ params: ParamsReader) -> Bool { params.option(backend) == "torch" }

    /// Reads `decay_steps`-like arguments: any positive number (Keras casts it to float32),
    /// refusing what Keras refuses with its message.
    static func positiveSteps(_ p: Parameter, _ params: inout ParamsReader) -> Float {
        let steps = params.double(p) { $0.isFinite }
        if steps <= 0 && !params.hasIssues {
            params.record(
                p.name,
                "must be greater than 0: Keras raises ValueError: Argument `\(p.name)` must be > 0. Received: \(p.name)=\(pythonNumber(params.object.object[p.name]))"
            )
        }
        return Float(steps)
    }

    /// `initial_learning_rate` as lrsched reads it: any number, as a float. (Keras takes the
    /// schedule's dtype from it, so a Python int makes Keras compute in integers; JSON clients
    /// cannot always tell `1` from `1.0`, so lrsched does not reproduce that, and the README
    /// says so.)
    static func initialRate(_ p: Parameter, _ params: inout ParamsReader) -> Float {
        Float(params.double(p) { $0.isFinite })
    }

    /// A JSON number as Python prints it (`100`, `2.5`).
    static func pythonNumber(_ value: JSONValue?) -> String {
        switch value {
        case .integer(let i)?: String(i)
        case .double(let d)?: d.description
        default: "?"
        }
    }

    /// The iteration count as the schedule sees it: Keras's int32 `iterations`, cast to float32.
    @inline(__always)
    static func step(_ count: Int32) -> Float { XLA.convert(count) }
}

/// A Keras schedule: `value(at: iteration)` is the float32 learning rate of that iteration.
protocol KerasClosedForm: SchedulerDefinition {
    /// The float32 learning rate of fit iteration `iteration`.
    func value(at iteration: Int32) -> Float
}

extension KerasClosedForm {
    static var learningRate: LearningRatePolicy { .none }

    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
        KerasSchedule(self)
    }
}

/// Steps a Keras schedule: value k is the schedule at iteration k.
final class KerasSchedule<Definition: KerasClosedForm>: Schedule {
    let definition: Definition
    @exclusivity(unchecked) var iteration: Int32 = 0

    init(_ definition: Definition) {
        self.definition = definition
    }

    var groupCount: Int { 1 }

    func lr(group: Int) -> Double { Double(definition.value(at: iteration)) }

    func step(metric: Double?) throws(ScheduleFault) {
        iteration &+= 1
    }
}
