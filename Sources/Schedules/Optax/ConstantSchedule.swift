extension Optax {
    /// `optax.constant_schedule(value)`: `value` at every step, as a float32.
    struct ConstantSchedule: OptaxClosedForm {
        static let name = "constant_schedule"
        static let summary = "the same value at every step"
        static let valueParameter = Parameter.float("value", "a number", "the value returned at every step")
        static let parameters = [valueParameter]
        let value: Double

        init?(decoding params: inout ParamsReader) {
            value = params.double(Self.valueParameter) { $0.isFinite }
            if params.hasIssues { return nil }
        }

        func value(at count: Int32) -> Float { Optax.f32(value) }
    }
}
