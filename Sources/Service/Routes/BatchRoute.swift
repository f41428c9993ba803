import JSON
import Schedules

/// `POST /v1/schedules/batch`: several schedule requests, any families, answered in order.
///
/// Body: `{"requests": [spec, …], "diff": false}`; each spec is a `/v1/schedules` body that may
/// also carry a `"label"` naming its series. The requests share one work budget (the single
/// request limit). Each result is the schedule answer or the problem of that item, whose
/// pointers start at `/requests/<i>`. With `diff`, every answer after the first also compares
/// itself with the first (`ScheduleDifference`): `{"first_difference": step or null,
/// "max_relative_difference": x, "compared_epochs": n, "differing_steps": n,
/// "largest_difference": {"step", "absolute", "relative"} or null}` over the steps both hold
/// (group 0's learning rates), under the body's `rtol` and `atol`.
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
    /// The tolerances under which `diff` counts values as equal (`rtol`, `atol`; 0: bit for bit).
    public var rtol = 0.0
    public var atol = 0.0
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

/// How one answer compares with another over the steps both hold (group 0): the first step
/// where their values differ, how many steps differ, and the largest difference and where it is.
/// Values count as equal when they are the same bit for bit, or, with a tolerance, when
/// `|a − b| ≤ atol + rtol × max(|a|, |b|)` (so a float32 schedule and its float64 counterpart can
/// compare on structure rather than on rounding).
public struct ScheduleDifference: Sendable, Equatable {
    /// The first step whose values differ, or `nil`.
    public let firstDifference: Int?
    /// The largest relative difference `|a − b| / max(|a|, |b|)` (0 when identical).
    public let maxRelativeDifference: Double
    /// How many steps both answers hold.
    public let comparedEpochs: Int
    /// How many of them differ.
    public let differingSteps: Int
    /// Where the relative difference is largest (its first step), with the absolute and relative
    /// differences there; nil when no step differs.
    public let largest: (step: Int, absolute: Double, relative: Double)?

    public static func == (a: ScheduleDifference, b: ScheduleDifference) -> Bool {
        a.firstDifference == b.firstDifference && a.maxRelativeDifference == b.maxRelativeDifference
            && a.comparedEpochs == b.comparedEpochs && a.differingSteps == b.differingSteps
            && a.largest?.step == b.largest?.step && a.largest?.absolute == b.largest?.absolute
    }

    /// Compares group 0 of `other` against `base`, step by step, under `rtol` and `atol`.
    public init(_ other: ScheduleAnswer, against base: ScheduleAnswer, rtol: Double = 0, atol: Double = 0) {
        var first: Int?
        var largest: (step: Int, absolute: Double, relative: Double)?
        var differing = 0
        var compared = 0
        func visit(_ step: Int, _ a: Double, _ b: Double) {
            compared += 1
            guard a.bitPattern != b.bitPattern else { return }
            let absolute = Swift.abs(a - b)
            let scale = Swift.max(Swift.abs(a), Swift.abs(b))
            if (rtol > 0 || atol > 0) && absolute <= atol + rtol * scale { return }
            let relative = scale == 0 ? 0 : absolute / scale
            differing += 1
            if first == nil || step < first! { first = step }
            if largest == nil || relative > largest!.relative || (relative == largest!.relative && step < largest!.step)
            {
                largest = (step, absolute, relative)
            }
        }
        if base.request.selection == .range && other.request.selection == .range {
            let from = Swift.max(base.request.start, other.request.start)
            let to = Swift.min(
                base.request.start + base.request.epochs,
                other.request.start + other.request.epochs
            )
            if from < to {
                for step in from..<to {
                    visit(
                        step,
                        base.values.lrs[0][step - base.request.start],
                        other.values.lrs[0][step - other.request.start]
                    )
                }
            }
        } else {
            var baseValues: [Int: Double] = [:]
            for k in 0..<base.request.valueCount { baseValues[base.request.step(ofValue: k)] = base.values.lrs[0][k] }
            var seen = Set<Int>()
            for k in 0..<other.request.valueCount {
                let step = other.request.step(ofValue: k)
                guard let a = baseValues[step], seen.insert(step).inserted else { continue }
                visit(step, a, other.values.lrs[0][k])
            }
        }
        firstDifference = first
        maxRelativeDifference = largest?.relative ?? 0
        comparedEpochs = compared
        differingSteps = differing
        self.largest = largest
    }
}

extension ScheduleService {
    /// The answer to a batch body.
    public func batchAnswer(body: [UInt8], presentation: Presentation = .json) -> Answer {
        switch prepareBatch(body: body, presentation: presentation) {
        case .answered(let answer): answer
        case .prepared(let evaluation): evaluation.run()
        }
    }

    /// `POST /v1/schedules/batch` up to the evaluation: every request decoded and the shared
    /// work limit checked, or the problem answer.
    func prepareBatch(body: [UInt8], presentation: Presentation) -> Preparation {
        do throws(Problem) {
            let json = try parseBody(body)
            var issues: [FieldIssue] = []
            var reader = ObjectReader(value: json, at: .root, issues: &issues)
            guard issues.isEmpty else { throw Problem(ScheduleError.invalidSpec(issues)) }
            let diff = reader.bool("diff", default: false)
            let requirement = "must be a non-negative number (the tolerance under which diff counts values as equal)"
            let rtol = reader.double("rtol", default: 0, requirement: requirement) { $0 >= 0 }
            let atol = reader.double("atol", default: 0, requirement: requirement) { $0 >= 0 }
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
            let metrics = metrics
            let prepared = items
            let decodedRequests = decoded
            let numbers = decoded.reduce(0) { sum, item in
                let (next, overflow) = sum.addingReportingOverflow(Self.numbers(of: item.request))
                return overflow ? .max : next
            }
            return .prepared(
                PreparedEvaluation(work: total, numbers: numbers) {
                    Self.evaluateBatch(
                        prepared,
                        decoded: decodedRequests,
                        diff: diff,
                        tolerance: (rtol, atol),
                        presentation: presentation,
                        metrics: metrics
                    )
                }
            )
        } catch {
            return .answered(.problem(error))
        }
    }

    /// Evaluates the decoded requests of a batch into its answer (`items` holds the decoding
    /// failures in place).
    static func evaluateBatch(
        _ items: [BatchAnswer.Item],
        decoded: [(index: Int, label: String?, request: ScheduleRequest, params: JSONValue?)],
        diff: Bool,
        tolerance: (rtol: Double, atol: Double),
        presentation: Presentation,
        metrics: ServiceMetrics
    ) -> Answer {
        var items = items
        do throws(Problem) {
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
            answer.rtol = tolerance.rtol
            answer.atol = tolerance.atol
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
