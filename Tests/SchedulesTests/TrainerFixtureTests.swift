import Foundation
import JSON
import Schedules
import Testing

/// One golden trainer case: a trainer request, the LR the real trainer used at every optimizer
/// update (or the error it raised, and the request member it is about), and what it derived.
struct TrainerCase: CustomStringConvertible {
    var name: String
    var request: JSONValue
    var lrs: [Double]?
    var groupLRs: [[Double]]?
    var plan: JSONObject?
    var error: String?
    var errorField: String?
    var description: String { name }
}

/// Loads `Fixtures/trainers/<file>.json`: its header and cases.
func loadTrainerCases(_ file: String) throws -> (header: JSONValue, cases: [TrainerCase]) {
    let url = try #require(
        Bundle.module.url(forResource: file, withExtension: "json", subdirectory: "Fixtures/trainers"),
        "fixture Fixtures/trainers/\(file).json is missing"
    )
    let json = try JSONParser.parse([UInt8](Data(contentsOf: url)), maxDepth: 256)
    let cases = try #require(json["cases"]?.arrayValue, "trainers/\(file).json has no cases")
    func doubles(_ value: JSONValue?) -> [Double]? { value?.arrayValue?.map { $0.doubleValue ?? .nan } }
    return (
        json,
        cases.map { c in
            TrainerCase(
                name: c["name"]?.stringValue ?? "?",
                request: c["request"] ?? .null,
                lrs: doubles(c["lrs"]),
                groupLRs: c["group_lrs"]?.arrayValue?.map { doubles($0) ?? [] },
                plan: c["plan"]?.objectValue,
                error: c["error"]?.stringValue,
                errorField: c["error_field"]?.stringValue
            )
        }
    )
}

/// The fixture files of the trainers, with the library whose version each records.
/// (`minimum`: the fewest valid cases the file may hold).
let trainerFixtures: [(file: String, library: String, version: String, minimum: Int)] = [
    ("transformers", "transformers", "5.24.0", 40),
    ("transformers-4.57", "transformers", "4.57.6", 4),
    ("transformers-metrics", "transformers", "5.24.0", 15),
    ("lightning", "lightning", "2.6.6", 40),
    ("lightning-metrics", "lightning", "2.6.6", 8),
    ("timm", "timm", "1.0.31", 40),
    ("timm-metrics", "timm", "1.0.31", 7),
    ("accelerate", "accelerate", "1.16.0", 40),
    ("accelerate-resume", "accelerate", "1.16.0", 15),
    ("torch_resume", "torch", "2.15.0", 20),
    ("deepspeed", "deepspeed", "0.19.8", 14),
    ("transformers-deepspeed", "deepspeed", "0.19.8", 20),
    ("mmengine", "mmengine", "0.10.7", 40),
]

@Suite("trainer requests against the real trainers, bit for bit")
struct TrainerFixtureTests {
    @Test("every fixture case of the trainer matches the real run", arguments: trainerFixtures.map(\.file))
    func matchesTrainer(_ file: String) throws {
        let (header, cases) = try loadTrainerCases(file)
        let expected = try #require(trainerFixtures.first { $0.file == file })
        #expect(
            header[expected.library]?.stringValue == expected.version,
            "trainers/\(file).json comes from \(expected.library) \(header[expected.library]?.stringValue ?? "?"), lrsched reproduces \(expected.version)"
        )
        let valid = cases.filter { $0.lrs != nil }.count
        #expect(
            valid >= expected.minimum,
            "trainers/\(file).json: \(valid) valid cases, fewer than \(expected.minimum)"
        )
        for c in cases { check(c) }
    }

    func check(_ c: TrainerCase) {
        let result: Result<(ScheduleRequest, ScheduleValues), ScheduleError>
        do throws(ScheduleError) {
            let request = try ScheduleRequest.decode(c.request)
            result = .success((request, try request.evaluate()))
        } catch {
            result = .failure(error)
        }
        // transformers 5.2 removed warmup_ratio; lrsched still reads it as 4.57 did (its own
        // fixtures come from 4.57.6), and says so.
        if c.lrs == nil, c.error?.contains("unexpected keyword argument 'warmup_ratio'") == true {
            guard case .success(let (request, _)) = result else {
                Issue.record("\(c.name): lrsched should read warmup_ratio as transformers 4.57 did, got \(result)")
                return
            }
            #expect(
                request.trainer?.warnings.contains { $0.contains("warmup_ratio was removed in transformers 5.2") }
                    == true,
                "\(c.name): transformers 5.24 raises \(c.error ?? "?"); lrsched must warn that 5.2 removed warmup_ratio"
            )
            return
        }
        switch (c.lrs, result) {
        case (let expected?, .failure(.invalidSpec(let issues))) where expected.isEmpty:
            // The run takes no update: lrsched answers 422 rather than an empty schedule.
            #expect(
                issues.contains {
                    $0.detail.contains("no optimizer update") || $0.detail.contains("nothing left")
                        || $0.detail.contains("must be below")
                },
                "\(c.name): the trainer takes no update; lrsched should say so, said \(issues)"
            )
        case (let expected?, .success(let (request, values))):
            compare(c.name, "lr", expected, values.lrs[0], start: request.start)
            for (g, (e, a)) in zip(c.groupLRs ?? [], values.lrs).enumerated() {
                compare(c.name, "group \(g) lr", e, a, start: request.start)
            }
            if let trainer = request.trainer, let name = trainer.trainer,
                let listed = Trainers.catalogue.first(where: { $0.name == name })?.plan
            {
                let keys = trainer.members.keys
                #expect(
                    keys.allSatisfy(listed.contains) && keys == listed.filter(keys.contains),
                    "\(c.name): plan members \(keys) are not the catalogue's \(listed), in its order"
                )
            }
            if let plan = c.plan, let derived = request.trainer?.members {
                for (key, value) in plan.members {
                    guard let ours = derived[key], key != "scheduler" else { continue }
                    #expect(
                        ours == value || ours.doubleValue == value.doubleValue,
                        "\(c.name): plan.\(key) is \(value.shortDescription) in the real run, lrsched derives \(ours.shortDescription)"
                    )
                }
            }
        case (_?, .failure(let error)):
            Issue.record("\(c.name): the trainer runs, lrsched refuses: \(error)")
        case (nil, .success(let (_, values))):
            Issue.record(
                "\(c.name): the trainer raises \(c.error ?? "?"), lrsched answers \(values.lrs[0].count) values"
            )
        case (nil, .failure(let error)):
            guard let field = c.errorField else { return }
            let pointers: [String]
            switch error {
            case .invalidSpec(let issues): pointers = issues.map { $0.pointer.description }
            case .evaluationFailed(let issue, _): pointers = [issue.pointer.description]
            }
            #expect(
                pointers.contains { $0 == field || $0.hasPrefix(field + "/") },
                "\(c.name): the trainer raises \(c.error ?? "?") about \(field), lrsched points at \(pointers)"
            )
        }
    }

    /// Records the first update where `actual` differs from `expected` in any bit.
    func compare(_ name: String, _ what: String, _ expected: [Double], _ actual: [Double], start: Int) {
        guard expected.count == actual.count else {
            Issue.record(
                "\(name): \(what): the trainer takes \(expected.count) updates, lrsched answers \(actual.count)"
            )
            return
        }
        for (k, (e, a)) in zip(expected, actual).enumerated() where e.bitPattern != a.bitPattern {
            Issue.record(
                "\(name): \(what) at update \(start + k + 1): trainer \(e) (\(bits(e))), lrsched \(a) (\(bits(a)))"
            )
            return
        }
    }
}
