import JSON

extension Optax {
    /// `optax.join_schedules(schedules, boundaries)`: `schedules[0]` until `boundaries[0]`, then
    /// `schedules[1]` counting from 0 again, and so on (see `OptaxJoin`). `schedules` are nested
    /// optax specs; `boundaries` pair with `schedules[1:]` as Python's `zip` pairs them.
    /// Source: `optax/schedules/_join.py`.
    struct JoinSchedules: OptaxClosedForm {
        static let name = "join_schedules"
        static let summary = "run schedules one after another, each restarting its count at its boundary"
        static let schedules = Parameter(
            "schedules",
            type: "list[scheduler]",
            default: .required,
            constraint:
                "a non-empty list of {\"scheduler\": ..., \"params\": {...}} optax objects (no contrib.reduce_on_plateau)",
            meaning: "the schedules, in order"
        )
        static let boundaries = Parameter(
            "boundaries",
            type: "list[int]",
            default: .required,
            constraint:
                "a list of int32 steps, one per schedule after the first (extra entries are ignored, as by zip)",
            meaning: "the step at which each later schedule takes over"
        )
        static let parameters = [schedules, boundaries]
        let join: OptaxJoin
        let cost: Int
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            let children = SchedulerSpec.decodeChildren(Self.schedules.name, of: Self.name, in: &params)
            let boundaries = params.intList(Self.boundaries, maxCount: Optax.maxBoundaries)
            guard let children, let boundaries else { return nil }
            if let outside = boundaries.firstIndex(where: { Int32(exactly: $0) == nil }) {
                params.record(
                    FieldIssue(
                        params.pointer.appending(Self.boundaries.name).appending(outside),
                        "must be an int32 step (JAX compares it with the int32 step count), got \(boundaries[outside])"
                    )
                )
                return nil
            }
            let closedForms = children.compactMap { $0.definition as? any OptaxClosedForm }
            guard closedForms.count == children.count else { return nil }
            join = OptaxJoin(closedForms, boundaries: boundaries.map { Int32($0) })
            cost = 1 + children.reduce(0) { $0 + $1.costPerEpoch }
            var warnings: [String] = []
            if boundaries.count > children.count - 1 {
                warnings.append(
                    "boundaries after the first \(children.count - 1) are ignored (zip stops at the shorter list)"
                )
            } else if boundaries.count < children.count - 1 {
                warnings.append(
                    "schedules after the first \(boundaries.count + 1) are never used (zip stops at the shorter list)"
                )
            }
            self.warnings = warnings
        }

        var costPerEpoch: Int { cost }

        func value(at count: Int32) -> Float { join.value(at: count) }
    }
}
