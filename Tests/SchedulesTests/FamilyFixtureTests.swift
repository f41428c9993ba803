import Foundation
import JSON
import Schedules
import Testing

/// One golden case written by a `scripts/generate_*_fixtures.py` generator from the real library.
struct GoldenCase: CustomStringConvertible {
    var name: String
    var spec: JSONValue
    var lrs: [Double]?
    var groupLRs: [[Double]]?
    var momentums: [Double]?
    var groupMomentums: [[Double]]?
    var error: String?
    var errorStep: Int?
    var description: String { name }
}

/// A fixture file: the library versions it records and its cases.
struct GoldenFile {
    var header: JSONValue
    var cases: [GoldenCase]
}

/// Loads `Fixtures/<directory>/<file>.json`.
func loadGolden(_ directory: String, _ file: String) throws -> GoldenFile {
    let url = try #require(
        Bundle.module.url(forResource: file, withExtension: "json", subdirectory: "Fixtures/\(directory)"),
        "fixture Fixtures/\(directory)/\(file).json is missing"
    )
    let json = try JSONParser.parse([UInt8](Data(contentsOf: url)), maxDepth: 256)
    let cases = try #require(json["cases"]?.arrayValue, "\(directory)/\(file).json has no cases")
    func doubles(_ value: JSONValue?) -> [Double]? { value?.arrayValue?.map { $0.doubleValue ?? .nan } }
    func table(_ value: JSONValue?) -> [[Double]]? { value?.arrayValue?.map { doubles($0) ?? [] } }
    return GoldenFile(
        header: json,
        cases: cases.map { c in
            GoldenCase(
                name: c["name"]?.stringValue ?? "?",
                spec: c["spec"] ?? .null,
                lrs: doubles(c["lrs"]),
                groupLRs: table(c["group_lrs"]),
                momentums: doubles(c["momentums"]),
                groupMomentums: table(c["group_momentums"]),
                error: c["error"]?.stringValue,
                errorStep: c["error_step"]?.intValue
            )
        }
    )
}

/// The bits of a double, printed for failure messages.
func bits(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16) }

/// Every scheduler of every family, as `family/scheduler`.
let everyScheduler = Registry.families.flatMap { family in family.schedulerNames.map { "\(family.name)/\($0)" } }

@Suite("golden fixtures of every family, bit for bit")
struct FamilyFixtureTests {
    @Test("every fixture case of the scheduler matches its library", arguments: everyScheduler)
    func matchesLibrary(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let family = try #require(Registry.family(named: parts[0]))
        let file = try loadGolden(parts[0], parts[1])
        let version = file.header[family.name]?.stringValue ?? "?"
        #expect(
            version == family.version,
            "fixtures for \(id) come from \(family.name) \(version), the family reproduces \(family.version)"
        )
        let valid = file.cases.filter { $0.lrs != nil }.count
        #expect(valid >= 25, "\(id): only \(valid) valid configurations in the fixtures")
        for c in file.cases {
            check(c)
        }
    }

    @Test(
        "optax outside jit (mode eager and eager_vector), bit for bit",
        arguments: ["eager", "eager_vector"].flatMap { mode in
            (Registry.family(named: "optax")?.schedulerNames ?? []).filter { $0 != "contrib.reduce_on_plateau" }.map {
                "\(mode)/\($0)"
            }
        }
    )
    func optaxModes(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let file = try loadGolden("optax/\(parts[0])", parts[1])
        #expect(file.cases.count >= 25, "\(id): only \(file.cases.count) cases")
        #expect(file.cases.allSatisfy { $0.spec["mode"]?.stringValue == parts[0] }, "\(id): a case without its mode")
        for c in file.cases {
            check(c)
        }
    }

    @Test(
        "Keras on the torch backend: bit for bit where lrsched says exact; flagged exact: false, and mostly within 4 ulp, where torch's MKL cos/log stand in",
        arguments: Registry.family(named: "keras")?.schedulerNames ?? []
    )
    func kerasTorch(_ name: String) throws {
        let file = try loadGolden("keras/torch", name)
        #expect(file.cases.filter { $0.lrs != nil }.count >= 25, "keras/torch/\(name): fewer than 25 valid cases")
        var compared = 0
        var identical = 0
        var withinFour = 0
        for c in file.cases {
            #expect(c.spec["backend"]?.stringValue == "torch", "\(c.name): the case does not ask for the torch backend")
            guard let expected = c.lrs else {
                check(c)
                continue
            }
            let request: ScheduleRequest
            do throws(ScheduleError) { request = try ScheduleRequest.decode(c.spec) } catch {
                Issue.record("\(c.name): Keras succeeds, lrsched refuses: \(error)")
                continue
            }
            if request.scheduler.isExact {
                check(c)
                continue
            }
            let actual: [Double]
            do throws(ScheduleError) { actual = try request.evaluate().lrs[0] } catch {
                Issue.record("\(c.name): Keras succeeds, lrsched fails: \(error)")
                continue
            }
            for (e, a) in zip(expected, actual) {
                let ulps = abs(Int64(Float(e).bitPattern) - Int64(Float(a).bitPattern))
                compared += 1
                if ulps == 0 { identical += 1 }
                if ulps <= 4 { withinFour += 1 }
            }
        }
        guard compared > 0 else { return }
        #expect(
            name == "CosineDecay" || name == "CosineDecayRestarts",
            "\(name) says exact: false, though it uses neither cos nor log"
        )
        // Measured on the fixtures: see README's Keras section for the distribution.
        #expect(
            withinFour * 100 >= compared * 97,
            "\(name) on torch: \(identical) of \(compared) values identical, \(withinFour) within 4 ulp"
        )
    }

    @Test("torch with several parameter groups, per-group lists and momentum")
    func torchGroups() throws {
        let file = try loadGolden("torch", "groups")
        #expect(file.cases.count >= 25, "only \(file.cases.count) cases in torch/groups.json")
        for c in file.cases {
            check(c)
        }
    }

    @Test(
        "integer parameters written as integral floats (2.0): the same values, or refused where the library refuses them",
        // optax's integer parameters take JSON integers only until fixtures show what a float does there.
        arguments: ["torch", "transformers", "timm"]
    )
    func integralFloats(_ family: String) throws {
        let file = try loadGolden(family, "integral_floats")
        let refused = file.cases.filter { $0.error != nil }.count
        #expect(file.cases.count >= 50, "\(family): only \(file.cases.count) cases in integral_floats.json")
        #expect(
            file.cases.allSatisfy { c in c.spec.description.contains(".0") },
            "\(family): every integral-float case must hold a float"
        )
        for c in file.cases {
            check(c)
        }
        if family == "transformers" {
            #expect(refused == 0, "transformers accepts every integral float, the fixtures refuse \(refused)")
        } else {
            #expect(refused > 0, "\(family): the fixtures should include parameters the library refuses as floats")
        }
    }

    @Test("the seed example: StepLR(step_size=10, gamma=0.9), lr 0.1, printed after each step")
    func seed() throws {
        let url = try #require(
            Bundle.module.url(forResource: "seed", withExtension: "json", subdirectory: "Fixtures/torch")
        )
        let json = try JSONParser.parse([UInt8](Data(contentsOf: url)))
        let c = try #require(json["cases"]?[0])
        let request = try ScheduleRequest.decode(try #require(c["spec"]))
        let lrs = try request.evaluate().first
        let printed = try #require(c["printed"]?.arrayValue).compactMap(\.stringValue)
        #expect(printed.count == 30)
        for (i, lr) in lrs.enumerated() {
            let line = "Epoch \(i + 1): Learning Rate = \(String(format: "%.5f", lr))"
            #expect(line == printed[i], "epoch \(i + 1): expected \"\(printed[i])\", got \"\(line)\"")
        }
        #expect(lrs.last == 0.07290000000000002, "epoch 30: expected 0.07290000000000002, got \(lrs.last ?? .nan)")
        check(GoldenCase(name: "seed", spec: c["spec"]!, lrs: c["lrs"]?.arrayValue?.compactMap(\.doubleValue)))
    }

    /// Runs one case through the same decode → evaluate path the service uses.
    func check(_ c: GoldenCase) {
        let result: Result<ScheduleValues, ScheduleError>
        do throws(ScheduleError) {
            result = .success(try ScheduleRequest.decode(c.spec).evaluate())
        } catch {
            result = .failure(error)
        }
        let start = c.spec["start"]?.intValue ?? 0
        switch (c.lrs, result) {
        case (let expected?, .success(let actual)):
            compare(c.name, "lr", expected, actual.lrs[0], start: start)
            if let groups = c.groupLRs {
                guard groups.count == actual.lrs.count else {
                    Issue.record("\(c.name): the library has \(groups.count) groups, lrsched \(actual.lrs.count)")
                    return
                }
                for (g, (e, a)) in zip(groups, actual.lrs).enumerated() {
                    compare(c.name, "group \(g) lr", e, a, start: start)
                }
            }
            if let momentums = c.momentums {
                guard let actualMomentums = actual.momentums else {
                    Issue.record("\(c.name): the library moves the momentum, lrsched reports none")
                    return
                }
                compare(c.name, "momentum", momentums, actualMomentums[0], start: start)
                for (g, (e, a)) in zip(c.groupMomentums ?? [], actualMomentums).enumerated() {
                    compare(c.name, "group \(g) momentum", e, a, start: start)
                }
            }
        case (_?, .failure(let error)):
            Issue.record("\(c.name): the library succeeds, lrsched fails: \(error)")
        case (nil, .success(let values)):
            Issue.record(
                "\(c.name): the library raises \(c.error ?? "?") at step \(c.errorStep.map(String.init) ?? "construction"), lrsched returns \(values.lrs[0].count) values"
            )
        case (nil, .failure(let error)):
            if let step = c.errorStep, case .evaluationFailed(_, let epoch) = error {
                #expect(
                    epoch == step,
                    "\(c.name): the library raises \(c.error ?? "?") at step \(step), lrsched fails at step \(epoch)"
                )
            }
        }
    }

    /// Records the first step where `actual` differs from `expected` in any bit.
    func compare(_ name: String, _ what: String, _ expected: [Double], _ actual: [Double], start: Int) {
        guard expected.count == actual.count else {
            Issue.record("\(name): \(what): expected \(expected.count) values, got \(actual.count)")
            return
        }
        for (k, (e, a)) in zip(expected, actual).enumerated() where e.bitPattern != a.bitPattern {
            Issue.record("\(name): \(what) at step \(start + k): library \(e) (\(bits(e))), lrsched \(a) (\(bits(a)))")
            return
        }
    }
}
