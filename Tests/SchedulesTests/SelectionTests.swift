import Foundation
import JSON
import Schedules
import Testing

/// `at`, `every` and `summary` against the full answer, for fixture cases of every family and
/// trainer: the same values, bit for bit.
@Suite("look-ups, sampling and summaries agree with the full answer")
struct SelectionTests {
    /// `spec` with its members replaced or removed (`nil`).
    func with(_ spec: JSONValue, _ changes: [(String, JSONValue?)]) -> JSONValue {
        guard case .object(let object) = spec else { return spec }
        var members = object.members
        for (key, value) in changes {
            members.removeAll { $0.key == key }
            if let value { members.append((key, value)) }
        }
        return .object(JSONObject(members))
    }

    /// The values of a request, or nil when it fails.
    func values(_ spec: JSONValue) -> ScheduleValues? {
        do throws(ScheduleError) {
            return try ScheduleRequest.decode(spec).evaluate()
        } catch {
            return nil
        }
    }

    @Test("at and every give the full answer's values, for fixture cases of every family", arguments: everyScheduler)
    func familyCases(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let cases = try loadGolden(parts[0], parts[1]).cases.filter { $0.lrs != nil }.prefix(6)
        for c in cases { try check(c.spec, name: c.name) }
    }

    @Test("at and every on trainer requests give the full answer's values")
    func trainerCases() throws {
        for file in ["transformers", "lightning", "timm", "accelerate", "transformers-metrics"] {
            for c in try loadTrainerCases(file).cases.filter({ $0.lrs != nil && $0.request["resume"] == nil }).prefix(8)
            {
                try check(c.request, name: "\(file): \(c.name)")
            }
        }
    }

    func check(_ spec: JSONValue, name: String) throws {
        guard let full = values(spec), let request = try? ScheduleRequest.decode(spec) else {
            Issue.record("\(name): the full request fails")
            return
        }
        let count = full.lrs[0].count
        let start = request.start
        // Look-ups in a scrambled order, with a repeat and both ends.
        var steps = [start + count - 1, start, start + count / 2, start + count / 3, start + count / 2]
        if request.trainer == nil && start > 0 { steps.append(0) }
        let wanted = steps.filter { $0 >= start }
        let atSpec = with(spec, [("at", .array(wanted.map { .integer($0) })), ("epochs", nil), ("start", nil)])
        guard
            let picked = values(
                request.trainer == nil ? atSpec : with(spec, [("at", .array(wanted.map { .integer($0) }))])
            )
        else {
            Issue.record("\(name): at \(wanted) fails")
            return
        }
        for (k, step) in wanted.enumerated() {
            let expected = full.lrs[0][step - start]
            #expect(
                picked.lrs[0][k].bitPattern == expected.bitPattern,
                "\(name): at step \(step): the full answer has \(expected), at gives \(picked.lrs[0][k])"
            )
        }
        let every = 3
        guard let sampled = values(with(spec, [("every", .integer(every))])) else {
            Issue.record("\(name): every \(every) fails")
            return
        }
        let expected = stride(from: 0, to: count, by: every).map { full.lrs[0][$0] }
        #expect(
            sampled.lrs[0].map(\.bitPattern) == expected.map(\.bitPattern),
            "\(name): every \(every) gives \(sampled.lrs[0].prefix(5))…, the full answer's every third value is \(expected.prefix(5))…"
        )
        let summarized = try ScheduleRequest.decode(with(spec, [("summary", .bool(true))]))
        let summary = try #require(summarized.summarize(full, warmupEnd: nil))
        let lrs = full.lrs[0]
        let low = lrs.firstIndex(of: lrs.min()!)!
        let high = lrs.firstIndex(of: lrs.max()!)!
        #expect(
            summary.min.step == start + low && summary.min.lr == lrs[low],
            "\(name): summary min \(summary.min), expected step \(start + low)"
        )
        #expect(
            summary.max.step == start + high && summary.max.lr == lrs[high],
            "\(name): summary max \(summary.max), expected step \(start + high)"
        )
        #expect(
            summary.final.step == start + count - 1 && summary.final.lr.bitPattern == lrs[count - 1].bitPattern,
            "\(name): summary final \(summary.final)"
        )
    }
}
