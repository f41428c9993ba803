import JSON

/// Which values of a schedule an answer holds: every step of a range (the default), every n-th
/// step of it (`every`), or the steps a request lists (`at`, in its order, repeats allowed).
/// Steps are counted as `start` is; the values are those of the full answer, bit for bit.
public enum Selection: Sendable, Equatable {
    /// Steps `start ..< start + epochs`.
    case range
    /// Steps `start, start + n, …` below `start + epochs`.
    case every(Int)
    /// The listed steps.
    case at([Int])

    /// The most steps `at` may list.
    public static let maxLookUps = 10_000

    /// Reads `at` and `every` from a request object; records problems in `r`.
    static func read(_ r: inout ObjectReader, limits: ScheduleLimits) -> Selection {
        let every = r.raw("every")
        if let value = r.raw("at") {
            if every != nil {
                r.record("every", "cannot be combined with at: at lists the steps to answer")
            }
            guard case .array(let items) = value, (1...maxLookUps).contains(items.count) else {
                r.record(
                    "at",
                    "must be a list of 1 to \(maxLookUps) steps (integers from 0), got \(value.shortDescription)"
                )
                return .range
            }
            var steps: [Int] = []
            steps.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard let step = item.integralValue, step >= 0, step < limits.maxWork else {
                    r.record(
                        FieldIssue(
                            r.pointer.appending("at").appending(i),
                            "must be a step: an integer from 0 to \(limits.maxWork - 1), got \(item.shortDescription)"
                        )
                    )
                    return .range
                }
                steps.append(step)
            }
            return .at(steps)
        }
        guard let every else { return .range }
        guard let n = every.integralValue, n >= 1, n <= limits.maxWork else {
            r.record("every", "must be an integer from 1 to \(limits.maxWork), got \(every.shortDescription)")
            return .range
        }
        return n == 1 ? .range : .every(n)
    }

    /// How many values the answer holds for a range of `epochs` steps.
    func count(epochs: Int) -> Int {
        switch self {
        case .range: epochs
        case .every(let n): (epochs + n - 1) / n
        case .at(let steps): steps.count
        }
    }

    /// The step of value `k`.
    @inline(__always)
    func step(ofValue k: Int, start: Int) -> Int {
        switch self {
        case .range: start + k
        case .every(let n): start + k * n
        case .at(let steps): steps[k]
        }
    }

    /// Picks the selected values out of `values`, which holds steps `start ..< start + count`.
    func pick(_ values: ScheduleValues, start: Int) -> ScheduleValues {
        if case .range = self { return values }
        let count = values.lrs.first?.count ?? 0
        let indices = (0..<self.count(epochs: count)).map { step(ofValue: $0, start: start) - start }
        func select(_ table: [[Double]]) -> [[Double]] { table.map { row in indices.map { row[$0] } } }
        return ScheduleValues(lrs: select(values.lrs), momentums: values.momentums.map(select))
    }
}

/// `summary`: where a schedule peaks and bottoms out, where it ends and where its warm-up ends.
public struct ScheduleSummary: Sendable, Equatable {
    /// The smallest value of group 0 and its first step.
    public var min: (step: Int, lr: Double)
    /// The largest value of group 0 and its first step.
    public var max: (step: Int, lr: Double)
    /// The last value and its step.
    public var final: (step: Int, lr: Double)
    /// The step at which the warm-up ends, where the schedule has one.
    public var warmupEnd: Int?

    public static func == (a: ScheduleSummary, b: ScheduleSummary) -> Bool {
        a.min == b.min && a.max == b.max && a.final == b.final && a.warmupEnd == b.warmupEnd
    }
}

extension ScheduleRequest {
    /// How many values the answer holds.
    public var valueCount: Int { selection.count(epochs: epochs) }

    /// The step of value `k` of the answer.
    public func step(ofValue k: Int) -> Int { selection.step(ofValue: k, start: start) }

    /// The summary of `values` (group 0), for an answer to this request whose warm-up ends at
    /// `warmupEnd` (see `warmupEnd(params:)`).
    public func summarize(_ values: ScheduleValues, warmupEnd: Int?) -> ScheduleSummary? {
        let lrs = values.lrs[0]
        guard !lrs.isEmpty else { return nil }
        var low = 0
        var high = 0
        for (k, v) in lrs.enumerated() {
            if v < lrs[low] || (lrs[low].isNaN && !v.isNaN) { low = k }
            if v > lrs[high] || (lrs[high].isNaN && !v.isNaN) { high = k }
        }
        // With `at`, the first occurrence is the smallest step, not the first listed.
        if case .at = selection {
            for (k, v) in lrs.enumerated() {
                if v == lrs[low] && step(ofValue: k) < step(ofValue: low) { low = k }
                if v == lrs[high] && step(ofValue: k) < step(ofValue: high) { high = k }
            }
        }
        var last = lrs.count - 1
        if case .at = selection {
            for k in lrs.indices where step(ofValue: k) > step(ofValue: last) { last = k }
        }
        return ScheduleSummary(
            min: (step(ofValue: low), lrs[low]),
            max: (step(ofValue: high), lrs[high]),
            final: (step(ofValue: last), lrs[last]),
            warmupEnd: warmupEnd
        )
    }

    /// The step where the warm-up ends: a trainer's warm-up updates, or the length of the
    /// scheduler's own warm-up as its `params` give it (`num_warmup_steps`, `warmup_t`,
    /// `warmup_steps`); nil when there is none.
    public func warmupEnd(params: JSONValue?) -> Int? {
        if let trainer {
            return trainer.members["warmup_updates"]?.intValue
        }
        for key in ["num_warmup_steps", "warmup_t", "warmup_steps"] {
            if let steps = params?[key]?.integralValue, steps > 0 { return steps }
        }
        return nil
    }
}
