import Float32Math

#if canImport(Glibc)
import Glibc
#endif

extension Optax {
    /// `optax.cosine_decay_schedule(init_value, decay_steps, alpha=0.0, exponent=1.0)`:
    /// `init * ((1 - alpha) * (0.5 * (1 + cos(pi * min(count, D) / D))) ** exponent + alpha)`.
    /// See `OptaxCosine` for the float32 expression jit runs. `decay_steps` must be positive.
    /// Source: `optax/schedules/_schedule.py`.
    struct CosineDecaySchedule: OptaxClosedForm {
        static let name = "cosine_decay_schedule"
        static let summary = "cosine decay from init_value to alpha × init_value over decay_steps"
        static let initValue = Parameter.float("init_value", "a number", "the value at step 0")
        static let decaySteps = Parameter.int(
            "decay_steps",
            "a positive integer",
            "steps of the decay",
            acceptsIntegralFloat: false
        )
        static let alpha = Parameter.float(
            "alpha",
            default: 0.0,
            "a number",
            "the final value as a fraction of init_value"
        )
        static let exponent = Parameter.float(
            "exponent",
            default: 1.0,
            "a number (an integer is Python's int: repeated squaring, as optax computes it)",
            "the power of the cosine term"
        )
        static let parameters = [initValue, decaySteps, alpha, exponent]
        let cosine: OptaxCosine

        init?(decoding params: inout ParamsReader) {
            let initial = params.double(Self.initValue) { $0.isFinite }
            let decay = params.int(Self.decaySteps, in: Optax.int32s)
            if decay <= 0 && !params.hasIssues {
                params.record(Self.decaySteps.name, OptaxCosine.nonPositive(decay))
            }
            let alpha = params.double(Self.alpha) { $0.isFinite }
            let exponent = OptaxPower(Self.exponent, &params)
            guard !params.hasIssues else { return nil }
            cosine = OptaxCosine(
                initial: initial,
                steps: Int32(decay),
                alpha: alpha,
                exponent: exponent,
                mode: Optax.mode(params)
            )
        }

        func value(at count: Int32) -> Float { cosine.value(at: count) }
    }
}

/// A Python exponent as jit applies it: a JSON integer is Python's `int` (`lax.integer_pow`,
/// repeated squaring), a JSON float goes through XLA's `pow` specialisations or glibc `powf`.
enum OptaxPower: Sendable {
    case integer(Int)
    case float(Double)

    /// Reads parameter `p` (any finite number; integers are kept apart from floats).
    init(_ p: Parameter, _ params: inout ParamsReader) {
        if case .integer(let i)? = params.object.object[p.name] {
            _ = params.raw(p.name)
            self = .integer(i)
        } else {
            self = .float(params.double(p) { $0.isFinite })
        }
    }

    /// Whether the power is the identity (`x ** 1` and `x ** 1.0`, which XLA removes).
    var isOne: Bool {
        switch self {
        case .integer(let n): n == 1
        case .float(let p): p == 1
        }
    }

    func apply(_ x: Float, mode: OptaxMode = .jit) -> Float {
        switch self {
        case .integer(let n): Optax.integerPower(x, n)
        case .float(let p): mode.power(x, p)
        }
    }
}

/// `cosine_decay_schedule` as jit runs it (also the decay of `warmup_cosine_decay_schedule` and
/// `sgdr_schedule`). With `x = min(f32(count), f32(D))` and `w = f32(pi) * f32(1/D)` (XLA folds
/// `pi / D`), `c = XLA.cos(x * w) + 1`:
/// - `exponent` 1: `c * f32(0.5 * init)` when `alpha` is 0, otherwise
///   `fma(c, 0.5 * f32(1 - alpha), f32(alpha)) * f32(init)`;
/// - another exponent: `p = (c * 0.5) ** exponent` (see `OptaxPower`), then `p * f32(init)` when
///   `alpha` is 0, otherwise `fma(p, f32(1 - alpha), f32(alpha)) * f32(init)`.
/// Halving is exact, so XLA's rewrites that move the 0.5 (`(c * 0.5) ** 2` → `c * c * 0.25`)
/// give the same floats. Eager: `0.5 * (1 + XLA.cos(f32(pi) * x / D))` (a reciprocal multiply on a
/// vector), `powf` for a float exponent, `f32(1 - alpha) * p + f32(alpha)`, `f32(init) * …`.
struct OptaxCosine: Sendable {
    let initial: Float
    let steps: Float
    let angle: Float
    let alpha: Double
    let exponent: OptaxPower
    let mode: OptaxMode

    /// `decay_steps` must be positive (`nonPositive` is optax's refusal otherwise).
    init(initial: Double, steps: Int32, alpha: Double, exponent: OptaxPower, mode: OptaxMode) {
        self.initial = Optax.f32(initial)
        self.steps = Float(steps)
        self.angle = Float(Double.pi) * Optax.reciprocal(steps)
        self.alpha = alpha
        self.exponent = exponent
        self.mode = mode
    }

    /// optax's ValueError for a non-positive `decay_steps`.
    static func nonPositive(_ steps: Int) -> String {
        "must be a positive integer: optax raises ValueError: The cosine_decay_schedule requires positive decay_steps, got decay_steps=\(steps)"
    }

    func value(at count: Int32) -> Float {
        let x = XLA.minimum(XLA.convert(count), steps)
        if mode != .jit {
            // `0.5 * (1 + cos(pi * x / D))`, `(1 - alpha) * c ** e + alpha`, `init * decayed`.
            let c = Float(0.5) * (1 + XLA.cos(mode.divide(Float(Double.pi) * x, by: steps)))
            let p = XLA.flush(exponent.apply(c, mode: mode))
            let decayed = XLA.flush(XLA.flush(Optax.f32(1 - alpha) * p) + Optax.f32(alpha))
            return XLA.flush(initial * decayed)
        }
        let c = XLA.flush(XLA.cos(x * angle) + 1)
        if exponent.isOne {
            if alpha == 0 { return XLA.flush(c * XLA.flush(Float(0.5) * initial)) }
            let scaled = XLA.flush(Optax.f32(alpha).addingProduct(c, Float(0.5) * Optax.f32(1 - alpha)))
            return XLA.flush(scaled * initial)
        }
        let p = XLA.flush(exponent.apply(XLA.flush(c * 0.5)))
        if alpha == 0 { return XLA.flush(p * initial) }
        return XLA.flush(XLA.flush(Optax.f32(alpha).addingProduct(p, Optax.f32(1 - alpha))) * initial)
    }
}
