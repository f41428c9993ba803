import Foundation
import JSON
import Service
import Testing

/// SplitMix64: a small seeded generator, so every run mutates the same way.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Replaces one randomly chosen member or element of `value` with a hostile value.
func mutate(_ value: JSONValue, _ rng: inout SplitMix64) -> JSONValue {
    let hostile: [JSONValue] = [
        .null, .bool(true), .integer(0), .integer(-1), .integer(Int.max), .integer(Int.min), .double(1e308),
        .double(-1e308), .double(.leastNonzeroMagnitude), .double(-0.0), .double(0.5), .string(""),
        .string("epoch ** epoch ** epoch"),
        .array([]), .array([.integer(3), .integer(3)]), .object(JSONObject()),
    ]
    switch value {
    case .object(var object) where !object.members.isEmpty && Int.random(in: 0..<4, using: &rng) != 0:
        let i = Int.random(in: 0..<object.members.count, using: &rng)
        if Int.random(in: 0..<5, using: &rng) == 0 {
            object.members.remove(at: i)
        } else {
            object.members[i].value = mutate(object.members[i].value, &rng)
        }
        return .object(object)
    case .array(var items) where !items.isEmpty && Int.random(in: 0..<4, using: &rng) != 0:
        let i = Int.random(in: 0..<items.count, using: &rng)
        items[i] = mutate(items[i], &rng)
        return .array(items)
    default:
        return hostile[Int.random(in: 0..<hostile.count, using: &rng)]
    }
}

@Suite("hostile input")
struct RobustnessTests {
    /// Every fixture spec of a family, mutated many ways: the service must answer 200, 400 or 422
    /// with valid JSON, and never crash or hang.
    @Test(arguments: [
        ("torch", 15), ("transformers", 12), ("timm", 7), ("optax", 15), ("keras", 7), ("deepspeed", 5),
        ("mmengine", 10), ("megatron", 1),
    ])
    func mutatedSpecsAlwaysGetAValidAnswer(_ family: String, _ schedulers: Int) throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SchedulesTests/Fixtures/\(family)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".json") && $0 != "generator.json"
        }
        #expect(files.count >= schedulers, "\(family): fixture files found: \(files.count)")
        var configuration = ServiceConfiguration()
        configuration.limits.maxEpochs = 5_000
        let service = ScheduleService(configuration: configuration)
        var rng = SplitMix64(state: 2026)
        var answered = [Int: Int]()
        for file in files.sorted() {
            let json = try JSONParser.parse(
                [UInt8](Data(contentsOf: directory.appendingPathComponent(file))),
                maxDepth: 256
            )
            for c in json["cases"]?.arrayValue ?? [] {
                guard let spec = c["spec"] else { continue }
                for _ in 0..<6 {
                    let body = JSONWriter.encode(mutate(spec, &rng))
                    let (status, reply) = service.evaluateSchedule(body: body)
                    answered[status, default: 0] += 1
                    #expect(
                        [200, 400, 422].contains(status),
                        "\(String(decoding: body, as: UTF8.self)): status \(status)"
                    )
                    #expect(
                        (try? JSONParser.parse(reply)) != nil,
                        "\(String(decoding: body, as: UTF8.self)): reply is not JSON: \(String(decoding: reply, as: UTF8.self))"
                    )
                }
            }
        }
        #expect(answered[422, default: 0] > 100, "\(family): mutations should mostly be refused: \(answered)")
    }

    /// Every training fixture request, mutated: 200, 400 or 422 with valid JSON, never a crash.
    @Test func mutatedTrainingRequestsAlwaysGetAValidAnswer() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TrainingTests/Fixtures/training.json")
        let json = try JSONParser.parse([UInt8](Data(contentsOf: url)))
        var configuration = ServiceConfiguration()
        configuration.trainingLimits.maxWork = 20_000_000
        let service = ScheduleService(configuration: configuration)
        var rng = SplitMix64(state: 7)
        var answered = [Int: Int]()
        for c in json["cases"]?.arrayValue ?? [] {
            guard let request = c["request"] else { continue }
            for _ in 0..<8 {
                let body = JSONWriter.encode(mutate(request, &rng))
                let (status, reply) = service.runTraining(body: body)
                answered[status, default: 0] += 1
                #expect(
                    [200, 400, 422].contains(status),
                    "\(String(decoding: body, as: UTF8.self).prefix(300)): status \(status)"
                )
                #expect(
                    (try? JSONParser.parse(reply)) != nil,
                    "reply is not JSON: \(String(decoding: reply, as: UTF8.self).prefix(300))"
                )
            }
        }
        #expect(answered[422, default: 0] > 50 && answered[200, default: 0] > 20, "answers by status: \(answered)")
    }

    @Test("truncated bodies are 400 with a position", arguments: [1, 7, 20, 45])
    func truncated(_ length: Int) {
        let body = Array(#"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10},"epochs":3}"#.utf8.prefix(length))
        let (status, reply) = ScheduleService().evaluateSchedule(body: body)
        #expect(status == 400, "prefix of \(length) bytes: expected 400, got \(status)")
        #expect(
            (try? JSONParser.parse(reply))?["offset"]?.intValue != nil,
            "reply: \(String(decoding: reply, as: UTF8.self))"
        )
    }
}
