import Float32Math

extension Optax {
    /// `optax.piecewise_constant_schedule(init_value, boundaries_and_scales=None)`: the value
    /// is multiplied by `scale` from each boundary step on.
    ///
    /// optax blends with an indicator rather than branching: for each `(threshold, scale)` in
    /// step order, `i = max(0, sign(threshold - count))` (int32 arithmetic) and
    /// `v = v * i + (1 - i) * scale * v` in float32, so the value after a boundary is
    /// `f32(scale) * v` rounded once. XLA folds the first product `f32(scale) * f32(init)` into a
    /// constant, which only matters when it overflows (optax then gives NaN at every step, and so
    /// does lrsched; eager evaluation does not fold). Scales must not be negative. Source: `optax/schedules/_schedule.py`.
    struct PiecewiseConstantSchedule: OptaxClosedForm {
        static let name = "piecewise_constant_schedule"
        static let summary = "init_value multiplied by each scale from its boundary step on"
        static let initValue = Parameter.float("init_value", "a number", "the value before the first boundary")
        static let boundariesAndScales = Parameter(
            "boundaries_and_scales",
            type: "dict[int, float]",
            default: .none,
            constraint: "an object of integer step → non-negative scale, such as {\"1000\": 0.1}",
            meaning: "from each step on, the value is multiplied by its scale"
        )
        static let parameters = [initValue, boundariesAndScales]
        let initial: Float
        let boundaries: [(threshold: Int32, scale: Float)]
        /// Whether XLA folded the first product (under jit).
        let folds: Bool

        init?(decoding params: inout ParamsReader) {
            let initial = params.double(Self.initValue) { $0.isFinite }
            let pairs = Optax.boundariesAndScales(Self.boundariesAndScales, in: &params)
            if let pairs, pairs.contains(where: { $0.scale < 0 }) {
                params.record(
                    Self.boundariesAndScales.name,
                    "must have non-negative scales: optax raises ValueError: `piecewise_constant_schedule` expects non-negative scale factors"
                )
            }
            guard let pairs, !params.hasIssues else { return nil }
            self.initial = Optax.f32(initial)
            boundaries = pairs.map { ($0.step, Optax.f32($0.scale)) }
            folds = Optax.mode(params) == .jit
        }

        var costPerEpoch: Int { 1 + boundaries.count / 4 }

        func value(at count: Int32) -> Float {
            var v = initial
            for (i, (threshold, scale)) in boundaries.enumerated() {
                let indicator: Float = threshold &- count > 0 ? 1 : 0
                // XLA folds the first `(1 - i) * scale * init` into `(1 - i) * f32(scale * init)`.
                let scaled =
                    i == 0 && folds
                    ? XLA.flush((1 - indicator) * XLA.flush(scale * v)) : XLA.flush((1 - indicator) * scale * v)
                v = XLA.flush(v * indicator + scaled)
            }
            return v
        }
    }
}
