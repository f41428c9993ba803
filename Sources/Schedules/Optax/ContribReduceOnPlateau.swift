import Float32Math
import JSON

extension Optax {
    /// `optax.contrib.reduce_on_plateau(factor=0.1, patience=10, rtol=1e-4, atol=0.0,
    /// cooldown=0, accumulation_size=1, min_scale=0.0)`: a gradient transformation that scales
    /// the updates by `scale`, cutting it by `factor` when the metric (`value`) has not improved
    /// for `patience` updates. Value k is `f32(lr) * scale` after k updates (`metrics[0…k-1]`),
    /// the float32 product the transformation applies to an update of `lr`.
    ///
    /// All state is float32 (parameters and metric), as jit runs it: the metric is averaged over
    /// `accumulation_size` updates as `fma(f32(count), avg, value) / f32(count + 1)`; "improved"
    /// is `avg < fma(best, f32(1 - rtol), -f32(atol))`; a plateau of exactly `patience`
    /// non-improving updates outside cooldown sets `scale = max(scale * f32(factor),
    /// f32(min_scale))` and starts `cooldown`. The plateau count is compared with `patience` by
    /// equality after it is reset by an improvement, so `patience: 0` cuts on every update that
    /// improves (and never on a flat metric after the first). Float32 results are flushed to
    /// zero below the normal range, as in XLA's kernels.
    /// Source: `optax/contrib/_reduce_on_plateau.py`.
    struct ReduceOnPlateau: SchedulerDefinition {
        static let name = "contrib.reduce_on_plateau"
        static let summary = "scale lr by factor when the metric stops improving for patience updates (metrics)"
        static let takesMetrics = true
        static let factor = Parameter.float(
            "factor",
            default: 0.1,
            "a number between 0 and 1 (exclusive)",
            "the scale is multiplied by factor on a plateau"
        )
        static let patience = Parameter.int(
            "patience",
            default: 10,
            "an int32",
            "non-improving updates before the scale is cut",
            acceptsIntegralFloat: false
        )
        static let rtol = Parameter.float("rtol", default: 1e-4, "a number from 0 to 1", "relative improvement needed")
        static let atol = Parameter.float("atol", default: 0.0, "a non-negative number", "absolute improvement needed")
        static let cooldown = Parameter.int(
            "cooldown",
            default: 0,
            "an int32",
            "updates after a cut during which plateaus are not counted",
            acceptsIntegralFloat: false
        )
        static let accumulationSize = Parameter.int(
            "accumulation_size",
            default: 1,
            "an int32 (not positive: the scale never changes)",
            "metric values averaged before each decision",
            acceptsIntegralFloat: false
        )
        static let minScale = Parameter.float("min_scale", default: 0.0, "a number", "the scale does not go below it")
        static let parameters = [factor, patience, rtol, atol, cooldown, accumulationSize, minScale]

        let factorValue: Float
        let patienceValue: Int32
        let relative: Float
        let absolute: Float
        let cooldownValue: Int32
        let accumulation: Int32
        let minimum: Float

        init?(decoding params: inout ParamsReader) {
            let factor = params.double(Self.factor) { $0.isFinite }
            let patience = params.int(Self.patience, in: Optax.int32s)
            let rtol = params.double(Self.rtol) { $0.isFinite }
            let atol = params.double(Self.atol) { $0.isFinite }
            let cooldown = params.int(Self.cooldown, in: Optax.int32s)
            let accumulation = params.int(Self.accumulationSize, in: Optax.int32s)
            let minScale = params.double(Self.minScale) { $0.isFinite }
            guard !params.hasIssues else { return nil }
            if Optax.mode(params) != .jit {
                params.record(
                    FieldIssue(
                        params.pointer,
                        "is evaluated inside the jitted update step only: leave out mode or give \"jit\""
                    )
                )
            } else if !(factor > 0 && factor < 1) {
                params.record(
                    Self.factor.name,
                    "must be between 0 and 1: optax raises ValueError: Factor must be in the range (0, 1), got factor = \(factor)."
                )
            } else if rtol < 0 || atol < 0 {
                params.record(
                    rtol < 0 ? Self.rtol.name : Self.atol.name,
                    "must not be negative: optax raises ValueError: Both rtol and atol must be non-negative, got rtol = \(rtol) and atol = \(atol)."
                )
            } else if rtol == 0 && atol == 0 {
                params.record(
                    Self.rtol.name,
                    "or atol must be positive: optax raises ValueError: At least one of rtol or atol must be positive, got rtol = \(rtol) and atol = \(atol)."
                )
            } else if rtol > 1 {
                params.record(
                    Self.rtol.name,
                    "must be at most 1: optax raises ValueError: rtol must be less than or equal to 1.0, got rtol = \(rtol)."
                )
            }
            guard !params.hasIssues else { return nil }
            factorValue = Optax.f32(factor)
            patienceValue = Int32(patience)
            relative = Optax.f32(1 - rtol)
            absolute = Optax.f32(atol)
            cooldownValue = Int32(cooldown)
            self.accumulation = Int32(accumulation)
            minimum = Optax.f32(minScale)
        }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            OptaxPlateau(self, lrs: lrs.map(Optax.f32))
        }
    }
}

/// The state of `contrib.reduce_on_plateau`, updated once per metric.
final class OptaxPlateau: Schedule {
    let definition: Optax.ReduceOnPlateau
    let lrs: [Float]
    @exclusivity(unchecked) var scale: Float = 1
    @exclusivity(unchecked) var best: Float = .infinity
    @exclusivity(unchecked) var plateauCount: Int32 = 0
    @exclusivity(unchecked) var cooldownCount: Int32 = 0
    @exclusivity(unchecked) var count: Int32 = 0
    @exclusivity(unchecked) var average: Float = 0

    init(_ definition: Optax.ReduceOnPlateau, lrs: [Float]) {
        self.definition = definition
        self.lrs = lrs
    }

    var groupCount: Int { lrs.count }

    func lr(group: Int) -> Double { Double(XLA.flush(lrs[group] * scale)) }

    func step(metric: Double?) throws(ScheduleFault) {
        let value = Float(metric ?? 0)
        let newCount = count < Int32.max ? count + 1 : count
        average = XLA.flush(XLA.flush(value.addingProduct(Float(count), average)) / Float(newCount))
        count = newCount
        guard count == definition.accumulation else { return }
        updateScale()
        count = 0
        average = 0
    }

    private func updateScale() {
        let d = definition
        let threshold = (-d.absolute).addingProduct(best, d.relative)
        let improved = average < threshold
        if improved { best = average }
        let current = improved ? 0 : (plateauCount < Int32.max ? plateauCount + 1 : plateauCount)
        if cooldownCount > 0 {
            plateauCount = 0
            cooldownCount -= 1
            return
        }
        let hit = current == d.patienceValue
        plateauCount = hit ? 0 : current
        scale = XLA.maximum(hit ? XLA.flush(scale * d.factorValue) : scale, d.minimum)
        cooldownCount = hit ? d.cooldownValue : 0
    }
}
