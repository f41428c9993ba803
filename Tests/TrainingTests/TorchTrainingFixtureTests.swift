import Foundation
import JSON
import Schedules
import Testing

@testable import Training

/// Relative error of `actual` against `expected`.
func relativeError(_ actual: Double, _ expected: Double) -> Double {
    if actual == expected { return 0 }
    return abs(actual - expected) / max(abs(expected), Double.leastNormalMagnitude)
}

@Suite("training runs against real torch (float64)")
struct TorchTrainingFixtureTests {
    static let tolerance = 1e-9

    static func cases() throws -> [JSONValue] {
        let url = try #require(
            Bundle.module.url(forResource: "training", withExtension: "json", subdirectory: "Fixtures"),
            "Fixtures/training.json is missing"
        )
        let json = try JSONParser.parse([UInt8](Data(contentsOf: url)), maxDepth: 64)
        #expect(
            json["torch"]?.stringValue?.hasPrefix("2.15") == true,
            "fixtures come from torch \(json["torch"]?.stringValue ?? "?")"
        )
        return try #require(json["cases"]?.arrayValue)
    }

    @Test func everyCaseMatchesTorch() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 30, "only \(cases.count) training fixtures")
        for c in cases {
            let name = c["name"]?.stringValue ?? "?"
            let expected = try #require(c["expected"], "\(name): no expected values")
            let result: TrainingResult
            do {
                result = try TrainingRequest.decode(try #require(c["request"])).run()
            } catch {
                Issue.record("\(name): torch runs it, lrsched fails: \(error)")
                continue
            }
            compareExact(name, "lrs", result.lrs, expected["lrs"])
            compareExact(name, "step_lrs", result.stepLRs, expected["step_lrs"])
            compareClose(name, "train_loss", result.trainLoss, expected["train_loss"])
            if let val = expected["val_loss"] {
                compareClose(name, "val_loss", result.validationLoss ?? [], val)
            } else {
                #expect(
                    result.validationLoss == nil,
                    "\(name): torch has no validation loss, lrsched has \(result.validationLoss ?? [])"
                )
            }
            #expect(
                result.steps == expected["steps"]?.intValue,
                "\(name): steps: torch \(expected["steps"]?.intValue ?? -1), lrsched \(result.steps)"
            )
            #expect(
                result.divergedAt == expected["diverged_at"]?.intValue,
                "\(name): diverged_at: torch \(String(describing: expected["diverged_at"]?.intValue)), lrsched \(String(describing: result.divergedAt))"
            )
        }
    }

    func compareExact(_ name: String, _ field: String, _ actual: [Double], _ expected: JSONValue?) {
        let values = expected?.arrayValue?.compactMap(\.doubleValue) ?? []
        guard values.count == actual.count else {
            Issue.record("\(name): \(field): torch has \(values.count) values, lrsched \(actual.count)")
            return
        }
        for (i, (e, a)) in zip(values, actual).enumerated() where e.bitPattern != a.bitPattern {
            Issue.record("\(name): \(field)[\(i)]: torch \(e), lrsched \(a)")
            return
        }
    }

    func compareClose(_ name: String, _ field: String, _ actual: [Double], _ expected: JSONValue?) {
        let values = expected?.arrayValue?.compactMap(\.doubleValue) ?? []
        guard values.count == actual.count else {
            Issue.record("\(name): \(field): torch has \(values.count) values, lrsched \(actual.count)")
            return
        }
        for (i, (e, a)) in zip(values, actual).enumerated() where relativeError(a, e) > Self.tolerance {
            Issue.record(
                "\(name): \(field)[epoch \(i)]: torch \(e), lrsched \(a), relative error \(relativeError(a, e))"
            )
            return
        }
    }
}
