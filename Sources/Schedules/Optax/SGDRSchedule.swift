import JSON

extension Optax {
    /// `optax.sgdr_schedule(cosine_kwargs)`: one `warmup_cosine_decay_schedule(**kwargs)` per
    /// entry, joined (`join_schedules`) at the running sums of their `decay_steps`, so each
    /// restarts with its own warm-up. Source: `optax/schedules/_schedule.py`.
    struct SGDRSchedule: OptaxClosedForm {
        static let name = "sgdr_schedule"
        static let summary = "warm restarts: warmup_cosine_decay_schedule cycles, one after another"
        static let cosineKwargs = Parameter(
            "cosine_kwargs",
            type: "list[object]",
            default: .required,
            constraint: "a non-empty list of warmup_cosine_decay_schedule params objects",
            meaning: "one warm-up and cosine cycle each, run in order"
        )
        static let parameters = [cosineKwargs]
        let join: OptaxJoin
        let cycles: Int

        init?(decoding params: inout ParamsReader) {
            let pointer = params.pointer.appending(Self.cosineKwargs.name)
            guard let value = params.raw(Self.cosineKwargs.name) else {
                params.record(Self.cosineKwargs.name, "is required (must be \(Self.cosineKwargs.constraint))")
                return nil
            }
            guard case .array(let items) = value, !items.isEmpty, items.count <= Optax.maxBoundaries else {
                params.record(
                    Self.cosineKwargs.name,
                    "must be \(Self.cosineKwargs.constraint) (at most \(Optax.maxBoundaries)), got \(value.shortDescription)"
                )
                return nil
            }
            var cycles: [WarmupCosineDecaySchedule] = []
            var boundaries: [Int32] = []
            var step = 0
            var overflows = false
            var issues: [FieldIssue] = []
            for (i, item) in items.enumerated() {
                var reader = ParamsReader(
                    ObjectReader(value: item, at: pointer.appending(i), issues: &issues),
                    family: params.family,
                    groups: params.groups,
                    context: params.context
                )
                let cycle = WarmupCosineDecaySchedule(decoding: &reader)
                reader.object.rejectUnknownKeys()
                issues.append(contentsOf: reader.object.issues)
                guard let cycle, !reader.hasIssues else { continue }
                step += cycle.decaySteps
                boundaries.append(Int32(clamping: step))
                overflows = overflows || (i < items.count - 1 && Int32(exactly: step) == nil)
                cycles.append(cycle)
            }
            for issue in issues { params.record(issue) }
            guard cycles.count == items.count else { return nil }
            if overflows {
                params.record(Self.cosineKwargs.name, "adds up to more decay_steps than optax's int32 step counts")
                return nil
            }
            join = OptaxJoin(cycles, boundaries: Array(boundaries.dropLast()))
            self.cycles = cycles.count
        }

        var costPerEpoch: Int { 1 + cycles / 4 }

        func value(at count: Int32) -> Float { join.value(at: count) }
    }
}
