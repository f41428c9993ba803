import Foundation
import JSON
import Schedules
import Testing

/// One golden case written by `scripts/generate_torch_fixtures.py` from real torch.
struct TorchCase: CustomStringConvertible {
    var name: String
    var spec: JSONValue
    var lrs: [Double]?
    var error: String?
    var errorStep: Int?
    var description: String { name }
}

/// Loads `Fixtures/torch/<file>.json`.
func loadTorchCases(_ file: String) throws -> (torch: String, cases: [TorchCase]) {
    let url = try #require(Bundle.module.url(forResource: file, withExtension: "json", subdirectory: "Fixtures/torch"),
                           "fixture Fixtures/torch/\(file).json is missing")
    let json = try JSONParser.parse([UInt8](Data(contentsOf: url)), maxDepth: 256)
    let version = json["torch"]?.stringValue ?? "?"
    let cases = try #require(json["cases"]?.arrayValue, "\(file).json has no cases")
    return (version, cases.map { c in
        TorchCase(
            name: c["name"]?.stringValue ?? "?",
            spec: c["spec"] ?? .null,
            lrs: c["lrs"]?.arrayValue?.map { $0.doubleValue ?? .nan },
            error: c["error"]?.stringValue,
            errorStep: c["error_step"]?.intValue)
    })
}

/// The bits of a double, printed for failure messages.
func bits(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16) }

@Suite("torch golden fixtures, bit for bit")
struct TorchFixtureTests {
    static let schedulers = SchedulerSpec.Name.allCases.map(\.rawValue)

    @Test("every fixture case of the scheduler matches torch", arguments: schedulers)
    func matchesTorch(_ scheduler: String) throws {
        let (version, cases) = try loadTorchCases(scheduler)
        #expect(version.hasPrefix("2.15"), "fixtures for \(scheduler) come from torch \(version)")
        let valid = cases.filter { $0.lrs != nil }.count
        #expect(valid >= 25, "\(scheduler): only \(valid) valid configurations in the fixtures")
        for c in cases {
            check(c)
        }
    }

    @Test("the seed example: StepLR(step_size=10, gamma=0.9), lr 0.1, printed after each step")
    func seed() throws {
        let url = try #require(Bundle.module.url(forResource: "seed", withExtension: "json", subdirectory: "Fixtures/torch"))
        let json = try JSONParser.parse([UInt8](Data(contentsOf: url)))
        let c = try #require(json["cases"]?[0])
        let request = try ScheduleRequest.decode(try #require(c["spec"]))
        let lrs = try request.evaluate()
        let printed = try #require(c["printed"]?.arrayValue).compactMap(\.stringValue)
        #expect(printed.count == 30)
        for (i, lr) in lrs.enumerated() {
            let line = "Epoch \(i + 1): Learning Rate = \(String(format: "%.5f", lr))"
            #expect(line == printed[i], "epoch \(i + 1): expected \"\(printed[i])\", got \"\(line)\"")
        }
        #expect(lrs.last == 0.07290000000000002, "epoch 30: expected 0.07290000000000002, got \(lrs.last ?? .nan)")
        check(TorchCase(name: "seed", spec: c["spec"]!, lrs: c["lrs"]?.arrayValue?.compactMap(\.doubleValue)))
    }

    /// Runs one case through the same decode → evaluate path the service uses.
    func check(_ c: TorchCase) {
        let result: Result<[Double], ScheduleError>
        do throws(ScheduleError) {
            result = .success(try ScheduleRequest.decode(c.spec).evaluate())
        } catch {
            result = .failure(error)
        }
        switch (c.lrs, result) {
        case (let expected?, .success(let actual)):
            guard expected.count == actual.count else {
                Issue.record("\(c.name): expected \(expected.count) values, got \(actual.count)")
                return
            }
            let start = c.spec["start"]?.intValue ?? 0
            for (k, (e, a)) in zip(expected, actual).enumerated() where e.bitPattern != a.bitPattern {
                Issue.record("\(c.name): epoch \(start + k): torch \(e) (\(bits(e))), lrsched \(a) (\(bits(a)))")
                return
            }
        case (_?, .failure(let error)):
            Issue.record("\(c.name): torch succeeds, lrsched fails: \(error)")
        case (nil, .success(let values)):
            Issue.record("\(c.name): torch raises \(c.error ?? "?") at step \(c.errorStep.map(String.init) ?? "construction"), lrsched returns \(values.count) values")
        case (nil, .failure(let error)):
            if let step = c.errorStep, case .evaluationFailed(_, let epoch) = error {
                #expect(epoch == step, "\(c.name): torch raises \(c.error ?? "?") at step \(step), lrsched fails at epoch \(epoch)")
            }
        }
    }
}
