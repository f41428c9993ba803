import Float32Math
import JSON

#if canImport(Glibc)
import Glibc
#endif

extension Optax {
    /// `optax.piecewise_interpolate_schedule(interpolate_type, init_value,
    /// boundaries_and_scales=None)`: the value moves from one boundary's value to the next
    /// linearly or along half a cosine, the values being the running products of the scales.
    /// See `OptaxInterpolation` for the float32 expression jit runs.
    /// Source: `optax/schedules/_schedule.py`.
    struct PiecewiseInterpolateSchedule: OptaxClosedForm {
        static let name = "piecewise_interpolate_schedule"
        static let summary =
            "interpolate, linearly or by cosine, between init_value × the running products of the scales"
        static let interpolateType = Parameter.choice(
            "interpolate_type",
            default: nil,
            OptaxInterpolation.Kind.allCases.map(\.rawValue),
            "how the value moves between boundaries"
        )
        static let initValue = Parameter.float("init_value", "a number", "the value at step 0")
        static let boundariesAndScales = Parameter(
            "boundaries_and_scales",
            type: "dict[int, float]",
            default: .none,
            constraint: "an object of integer step → non-negative scale, such as {\"1000\": 0.1}",
            meaning: "the value reached at each step is the previous one multiplied by its scale"
        )
        static let parameters = [interpolateType, initValue, boundariesAndScales]
        let interpolation: OptaxInterpolation

        init?(decoding params: inout ParamsReader) {
            var kind: OptaxInterpolation.Kind?
            if let raw = params.raw(Self.interpolateType.name) {
                kind = raw.stringValue.flatMap(OptaxInterpolation.Kind.init(rawValue:))
                if kind == nil {
                    params.record(
                        Self.interpolateType.name,
                        "must be \"cosine\" or \"linear\": optax raises ValueError: `interpolate_type` must be either 'cosine' or 'linear', got \(raw.shortDescription)"
                    )
                }
            } else {
                params.record(Self.interpolateType.name, "is required (must be \(Self.interpolateType.constraint))")
            }
            let initial = params.double(Self.initValue) { $0.isFinite }
            let pairs = Optax.boundariesAndScales(Self.boundariesAndScales, in: &params)
            if let pairs, pairs.contains(where: { $0.scale < 0 }) {
                params.record(
                    Self.boundariesAndScales.name,
                    "must have non-negative scales: optax raises ValueError: `piecewise_interpolate_schedule` expects non-negative scale factors"
                )
            }
            guard let kind, let pairs, !params.hasIssues,
                let interpolation = OptaxInterpolation(kind, initial: initial, boundaries: pairs, decoding: &params)
            else { return nil }
            self.interpolation = interpolation
        }

        var costPerEpoch: Int { interpolation.cost }

        func value(at count: Int32) -> Float { interpolation.value(at: count) }
    }
}

/// The schedule of `piecewise_interpolate_schedule` (and of the one-cycle schedules built on
/// it), as jit runs it on a scalar step.
///
/// optax stacks `bounds = [0, b1, …, bn]` (int32) and `values` = the float32 running products of
/// `[init, s1, …, sn]`, then sums over the intervals `[bounds[i], bounds[i+1])` that contain the
/// step the interpolation at `x = f32(count - bounds[i])` (int32 difference), and adds
/// `values[n]` from `bounds[n]` on. With `r[i] = f32(1) / f32(max(bounds[i+1] - bounds[i], 1))`
/// and `d[i] = values[i+1] - values[i]`:
/// - linear: `fma(x, f32(d[i] * r[i]), values[i])` or `fma(d[i], x * r[i], values[i])`;
/// - cosine: `fma(f32(-d[i]) * 0.5, XLA.cos(a) + 1, values[i+1])` with `a = x * f32(r * f32(pi))`
///   or `a = (x * r[i]) * f32(pi)`.
///
/// Which of the two XLA runs depends on the shape of its folded constants: an array whose
/// elements are all equal becomes a broadcast scalar, and XLA's simplifier folds a product of two
/// constants into one only when both are broadcasts or both are arrays. So the linear slope is
/// folded when `r` and `d` are both uniform or both not, and the cosine's `r * pi` when all the
/// intervals have the same length.
struct OptaxInterpolation: Sendable {
    /// optax's `interpolate_type`.
    enum Kind: String, CaseIterable, Sendable {
        case linear, cosine
    }

    /// One interval `[start, end)` and the constants XLA folded for it.
    struct Piece: Sendable {
        let start: Int32
        let end: Int32
        /// `r`, or for a folded cosine `r * f32(pi)`.
        let reciprocal: Float
        /// linear: the folded slope or the difference; cosine: half the drop.
        let scale: Float
        /// linear: the value at `start`; cosine: the value at `end`.
        let offset: Float
    }

    let kind: Kind
    let pieces: [Piece]
    let last: (bound: Int32, value: Float)
    /// Whether XLA folded the constant product (the linear slope, the cosine's angle per step).
    let folded: Bool
    /// Eager evaluation on one step: `(v[i+1] - v[i]) * pct + v[i]` and
    /// `v[i+1] + (v[i] - v[i+1]) / 2 * (XLA.cos(f32(pi) * pct) + 1)` op by op, `pct` an IEEE division.
    let eager: Bool

    /// The interpolation, as the request's `mode` evaluates it; nil (after recording why) for
    /// `eager_vector`, which optax's code cannot do: its indicator does not broadcast over a
    /// vector of steps (a shape error, or wrong values with one boundary).
    init?(
        _ kind: Kind,
        initial: Double,
        boundaries: [(step: Int32, scale: Double)],
        decoding params: inout ParamsReader
    ) {
        let mode = Optax.mode(params)
        if mode == .eagerVector {
            params.record(
                FieldIssue(
                    params.pointer,
                    "cannot be evaluated with mode \"eager_vector\": this schedule is optax's piecewise_interpolate_schedule (the onecycle schedules are built on it), which does not broadcast over a vector of steps (a shape error, or values that depend on the vector with one boundary); use \"jit\" or \"eager\""
                )
            )
            return nil
        }
        self.init(kind, initial: initial, boundaries: boundaries, eager: mode == .eager)
    }

    init(_ kind: Kind, initial: Double, boundaries: [(step: Int32, scale: Double)], eager: Bool) {
        self.kind = kind
        self.eager = eager
        let bounds = [Int32(0)] + boundaries.map(\.step)
        var values = [Optax.f32(initial)]
        for (_, scale) in boundaries { values.append(XLA.flush(values[values.count - 1] * Optax.f32(scale))) }
        let n = boundaries.count
        let reciprocals = (0..<n).map { Optax.reciprocal(max(bounds[$0 + 1] &- bounds[$0], 1)) }
        let differences = (0..<n).map { XLA.flush(values[$0 + 1] - values[$0]) }
        func uniform(_ xs: [Float]) -> Bool { xs.allSatisfy { $0.bitPattern == xs[0].bitPattern } }
        let folded: Bool
        switch kind {
        case .linear: folded = !eager && uniform(reciprocals) == uniform(differences)
        case .cosine: folded = !eager && uniform(reciprocals)
        }
        self.folded = folded
        pieces = (0..<n).map { i in
            let r = reciprocals[i]
            return switch kind {
            case .linear:
                Piece(
                    start: bounds[i],
                    end: bounds[i + 1],
                    reciprocal: folded ? 1 : r,
                    scale: folded ? XLA.flush(differences[i] * r) : differences[i],
                    offset: values[i]
                )
            case .cosine:
                Piece(
                    start: bounds[i],
                    end: bounds[i + 1],
                    reciprocal: folded ? r * Float(Double.pi) : r,
                    scale: XLA.flush(XLA.flush(values[i] - values[i + 1]) / 2),
                    offset: values[i + 1]
                )
            }
        }
        last = (bounds[n], values[n])
    }

    var cost: Int { 1 + pieces.count / 4 }

    func value(at count: Int32) -> Float {
        var sum: Float = 0
        for piece in pieces where piece.start <= count && count < piece.end {
            let x = XLA.convert(count &- piece.start)
            if eager {
                sum += eagerValue(piece, x)
                continue
            }
            switch (kind, folded) {
            case (.linear, true):
                sum += XLA.flush(piece.offset.addingProduct(x, piece.scale))
            case (.linear, false):
                sum += XLA.flush(piece.offset.addingProduct(piece.scale, x * piece.reciprocal))
            case (.cosine, true):
                sum += XLA.flush(piece.offset.addingProduct(piece.scale, XLA.cos(x * piece.reciprocal) + 1))
            case (.cosine, false):
                sum += XLA.flush(
                    piece.offset.addingProduct(piece.scale, XLA.cos((x * piece.reciprocal) * Float(Double.pi)) + 1)
                )
            }
        }
        return sum + (count >= last.bound ? last.value : 0)
    }

    /// One piece at `x` steps into it, op by op.
    private func eagerValue(_ piece: Piece, _ x: Float) -> Float {
        let size = XLA.convert(max(piece.end &- piece.start, 1))
        let pct = x / size
        switch kind {
        case .linear:
            // The piece keeps `d[i]` and `v[i]` unfolded when eager.
            return XLA.flush(XLA.flush(piece.scale * pct) + piece.offset)
        case .cosine:
            let c = XLA.cos(Float(Double.pi) * pct) + 1
            return XLA.flush(piece.offset + XLA.flush(piece.scale * c))
        }
    }
}
