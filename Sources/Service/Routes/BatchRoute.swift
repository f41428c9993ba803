import JSON
import Schedules

/// `POST /v1/schedules/batch`: several schedule requests, any families, answered in order.
///
/// Body: `{"requests": [spec, …], "diff": false}`; each spec is a `/v1/schedules` body that may
/// also carry a `"label"` naming its series. The requests share one work budget (the single
/// request limit). Each result is the schedule answer or the problem of that item, whose
/// pointers start at `/requests/<i>`. With `diff`, every answer after the first also compares
/// itself with the first: `{"first_difference": epoch or null, "max_relative_difference": x,
/// "compared_epochs": n}` over the epochs both cover (group 0's learning rates).
public struct BatchAnswer: Sendable {
    /// One item of the batch: its label and its answer or problem.
    public struct Item: Sendable {
        /// The item's `label`, or `nil`.
        public let label: String?
        /// The evaluated schedule, or why it failed.
        public let result: Result<ScheduleAnswer, Problem>
    }

    /// The items, in request order.
    public let items: [Item]
    /// Whether to compare every answer with the first.
    public let diff: Bool
    /// The format the client asked for.
    public var presentation = Presentation.json

    /// The most requests in one batch.
    public static let maxRequests = 16
    /// The longest label.
    public static let maxLabelLength = 200

    /// The items' schedule answers, in order, leaving out the failed ones.
    public var answers: [ScheduleAnswer] {
        items.compactMap { item in
            if case .success(let answer) = item.result { return answer }
            return nil
        }
    }

    /// A label for item `i`'s series: its `label`, or its scheduler and family.
    public func seriesLabel(_ i: Int) -> String {
        if let label = items[i].label { return label }
        guard case .success(let answer) = items[i].result else { return "request \(i)" }
        return "\(answer.request.scheduler.name) (\(answer.request.scheduler.family.name))"
    }
}

/// How one answer compares with another: the first epoch where their values differ, and the
/// largest relative difference `|a − b| / max(|a|, |b|)` over the epochs both cover.
public struct ScheduleDifference: Sendable, Equatable {
    /// The first epoch whose values differ (bit for bit), or `nil`.
    public let firstDifference: Int?
    /// The largest relative difference (0 when identical).
    public let maxRelativeDifference: Double
    /// How many epochs both answers cover.
    public let comparedEpochs: Int

    /// Compares group 0 of `other` against `base`, epoch by epoch.
    public init(_ other: ScheduleAnswer, against base: ScheduleAnswer) {
        if base.request.selection != .range || other.request.selection != .range {
            (firstDifference, maxRelativeDifference, comparedEpochs) = Self.sampled(other, against: base)
            return
        }
        let from = max(base.request.start, other.request.start)
        let to = min(base.request.start + base.request.epochs, other.request.start + other.request.epochs)
        var first: Int?
        var largest = 0.0
        if from < to {
            for epoch in from..<to {
                let a = base.values.lrs[0][epoch - base.request.start]
                let b = other.values.lrs[0][epoch - other.request.start]
                guard a.bitPattern != b.bitPattern else { continue }
                if first == nil { first = epoch }
                let scale = max(abs(a), abs(b))
                largest = max(largest, scale == 0 ? 0 : abs(a - b) / scale)
            }
        }
        firstDifference = first
        maxRelativeDifference = largest
        comparedEpochs = max(0, to - from)
    }

    /// The same comparison over the steps both answers hold, when either holds `at` or `every`
    /// values.
    static func sampled(_ other: ScheduleAnswer, against base: ScheduleAnswer) -> (Int?, Double, Int) {
        var baseValues: [Int: Double] = [:]
        for k in 0..<base.request.valueCount { baseValues[base.request.step(ofValue: k)] = base.values.lrs[0][k] }
        var first: Int?
        var largest = 0.0
        var compared = Set<Int>()
        for k in 0..<other.request.valueCount {
            let step = other.request.step(ofValue: k)
            guard let a = baseValues[step], compared.insert(step).inserted else { continue }
            let b = other.values.lrs[0][k]
            guard a.bitPattern != b.bitPattern else { continue }
            if first == nil || step < first! { first = step }
            let scale = Swift.max(Swift.abs(a), Swift.abs(b))
            largest = Swift.max(largest, scale == 0 ? 0 : Swift.abs(a - b) / scale)
        }
        return (first, largest, compared.count)
    }
}

extension ScheduleService {
    /// The answer to a batch body.
    public func batchAnswer(body: [UInt8], presentation: Presentation = .json) -> Answer {
        do throws(Problem) {
            let json = try parseBody(body)
            var issues: [FieldIssue] = []
            var reader = ObjectReader(value: json, at: .root, issues: &issues)
            guard issues.isEmpty else { throw Problem(ScheduleError.invalidSpec(issues)) }
            let diff = reader.bool("diff", default: false)
            let requests = reader.raw("requests")
            reader.rejectUnknownKeys()
            guard case .array(let specs)? = requests, (1...BatchAnswer.maxRequests).contains(specs.count) else {
                reader.record(
                    "requests",
                    "must be a list of 1 to \(BatchAnswer.maxRequests) schedule requests, got \(requests?.shortDescription ?? "nothing")"
                )
                throw Problem(ScheduleError.invalidSpec(reader.issues))
            }
            guard reader.issues.isEmpty else { throw Problem(ScheduleError.invalidSpec(reader.issues)) }

            var items: [BatchAnswer.Item] = []
            var decoded: [(index: Int, label: String?, request: ScheduleRequest, params: JSONValue?)] = []
            var labelIssues: [FieldIssue] = []
            for (i, spec) in specs.enumerated() {
                let pointer = JSONPointer.root.appending("requests").appending(i)
                var label: String?
                var item = spec
                guard case .object = spec else {
                    labelIssues.append(
                        FieldIssue(pointer, "must be a schedule request (an object), got \(spec.shortDescription)")
                    )
                    continue
                }
                if case .object(var object) = spec, let value = object["label"] {
                    object["label"] = nil
                    item = .object(object)
                    if case .string(let text) = value, (1...BatchAnswer.maxLabelLength).contains(text.count) {
                        label = text
                    } else if value != .null {
                        labelIssues.append(
                            FieldIssue(
                                pointer.appending("label"),
                                "must be a string of 1 to \(BatchAnswer.maxLabelLength) characters, got \(value.shortDescription)"
                            )
                        )
                    }
                }
                do throws(ScheduleError) {
                    let request = try ScheduleRequest.decode(item, at: pointer, limits: configuration.limits)
                    decoded.append((i, label, request, item["params"]))
                    items.append(BatchAnswer.Item(label: label, result: .failure(Problem(.invalidSpec, detail: ""))))
                } catch {
                    items.append(BatchAnswer.Item(label: label, result: .failure(Problem(error))))
                }
            }
            if !labelIssues.isEmpty { throw Problem(ScheduleError.invalidSpec(labelIssues)) }
            let total = decoded.reduce(0) { sum, item in
                let (next, overflow) = sum.addingReportingOverflow(item.request.work)
                return overflow ? .max : next
            }
            if total > configuration.limits.maxWork {
                throw Problem(
                    ScheduleError.invalidSpec([
                        FieldIssue(
                            JSONPointer.root.appending("requests"),
                            "the requests' work adds up to \(total), over the shared work limit of \(configuration.limits.maxWork)"
                        )
                    ])
                )
            }
            for item in decoded {
                do throws(ScheduleError) {
                    let answer = ScheduleAnswer(
                        request: item.request,
                        values: try item.request.evaluate(),
                        params: item.params
                    )
                    metrics.evaluated(family: item.request.scheduler.family.name, epochs: item.request.epochs)
                    items[item.index] = BatchAnswer.Item(label: item.label, result: .success(answer))
                } catch {
                    items[item.index] = BatchAnswer.Item(label: item.label, result: .failure(Problem(error)))
                }
            }
            var answer = BatchAnswer(items: items, diff: diff)
            answer.presentation = presentation
            if presentation.format != .json {
                // A chart or a table cannot show a failed item: the whole answer is its problems.
                let failures = items.compactMap { item -> Problem? in
                    if case .failure(let problem) = item.result { return problem }
                    return nil
                }
                // The table and the chart line the items up step by step: `at` and `every` items
                // hold other steps.
                if let sampled = items.firstIndex(where: { item in
                    if case .success(let answer) = item.result { return answer.request.selection != .range }
                    return false
                }) {
                    throw Problem(
                        .invalidSpec,
                        detail:
                            "request \(sampled) uses at or every; a \(presentation.format.rawValue) comparison needs whole ranges (the JSON answer takes them)"
                    )
                }
                if !failures.isEmpty {
                    let issues = failures.flatMap(\.errors)
                    throw Problem(
                        .invalidSpec,
                        detail:
                            "\(failures.count) of the \(items.count) requests failed; a \(presentation.format.rawValue) answer needs all of them (the JSON answer shows each result)",
                        errors: issues
                    )
                }
            }
            return .batch(answer)
        } catch {
            return .problem(error)
        }
    }
}
