import Float32Math
import JSON

extension Keras {
    /// `keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values)`: `values[0]` up to
    /// and including step `boundaries[0]`, `values[i]` for `boundaries[i-1] < step <=
    /// boundaries[i]`, `values[-1]` after the last boundary.
    ///
    /// Keras sums `indicator * value` over the ranges in float32 (first range, last range, then
    /// the middle ones), so unsorted boundaries add values as Keras does. Boundaries are cast to
    /// the int32 step type (a float is truncated). Source:
    /// `keras/src/optimizers/schedules/learning_rate_schedule.py`.
    struct PiecewiseConstantDecay: KerasClosedForm {
        static let name = "PiecewiseConstantDecay"
        static let summary = "values[i] between boundaries[i-1] (exclusive) and boundaries[i] (inclusive)"
        static let boundaries = Parameter(
            "boundaries",
            type: "list[number]",
            default: .required,
            constraint: "a non-empty list of int32 steps (floats are truncated)",
            meaning: "the last step of each value but the last"
        )
        static let values = Parameter(
            "values",
            type: "list[float]",
            default: .required,
            constraint: "a list of numbers (read as floats), one more than boundaries",
            meaning: "the learning rate of each range"
        )
        static let parameters = [boundaries, values]
        let bounds: [Int32]
        let rates: [Float]

        init?(decoding params: inout ParamsReader) {
            let bounds = params.numberList(Self.boundaries, maxCount: 1_000)
            let values = params.numberList(Self.values, maxCount: 1_001)
            guard let bounds, let values, !params.hasIssues else { return nil }
            guard bounds.count == values.count - 1 else {
                let b = bounds.map(PythonList.number).joined(separator: ", ")
                let v = values.map(PythonList.number).joined(separator: ", ")
                params.record(
                    Self.values.name,
                    "must have one value more than boundaries: Keras raises ValueError: The length of boundaries should be 1 less than the length of values. Received: boundaries=[\(b)] of length \(bounds.count), and values=[\(v)] of length \(values.count)."
                )
                return nil
            }
            guard !bounds.isEmpty else {
                params.record(
                    Self.boundaries.name,
                    "must not be empty: Keras raises IndexError: list index out of range"
                )
                return nil
            }
            guard bounds.allSatisfy({ Int32(exactly: $0.rounded(.towardZero)) != nil }) else {
                params.record(Self.boundaries.name, "must hold int32 steps (the step counter is int32)")
                return nil
            }
            self.bounds = bounds.map { Int32($0.rounded(.towardZero)) }
            rates = values.map { Float($0) }
        }

        var costPerEpoch: Int { 1 + bounds.count / 4 }

        func value(at iteration: Int32) -> Float {
            var result: Float = 0
            result += iteration <= bounds[0] ? rates[0] : 0
            result += iteration > bounds[bounds.count - 1] ? rates[rates.count - 1] : 0
            for i in 0..<(bounds.count - 1) where bounds[i] < iteration && iteration <= bounds[i + 1] {
                result += rates[i + 1]
            }
            return result
        }
    }
}

/// Python's rendering of list items in error messages.
enum PythonList {
    /// An integral number as Python's int, another as its float repr.
    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : d.description
    }
}
