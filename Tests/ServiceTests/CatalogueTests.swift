import Foundation
import HTTPServer
import JSON
import Schedules
import Service
import Testing

/// `GET /v1/schedulers`, the new answer members, and the documents that must agree with the
/// registry (README.md's scheduler reference, openapi.yaml's names and `*Params` schemas).
@Suite("catalogue and documentation")
struct CatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("GET /v1/schedulers lists every family, scheduler and parameter of the registry")
    func catalogueRoute() throws {
        let (status, json, response) = call("GET", "/v1/schedulers")
        #expect(status == 200, "expected 200, got \(status)")
        #expect(header(response, "Content-Type") == "application/json")
        let families = try #require(json?["families"]?.arrayValue, "no families in the catalogue")
        #expect(
            families.count == Registry.families.count,
            "catalogue has \(families.count) families, registry \(Registry.families.count)"
        )
        for (served, family) in zip(families, Registry.families) {
            #expect(served["framework"]?.stringValue == family.name)
            #expect(served["version"]?.stringValue == family.version)
            let schedulers = try #require(served["schedulers"]?.arrayValue)
            #expect(
                schedulers.compactMap { $0["name"]?.stringValue } == family.schedulerNames,
                "\(family.name): catalogue and registry list different schedulers"
            )
            for (entry, type) in zip(schedulers, family.schedulers) {
                let names = entry["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                #expect(names == type.parameters.map(\.name), "\(family.name)/\(type.name): parameters \(names)")
            }
            // The family's options (optax `mode`, Keras `backend`), only for families that have some.
            let options = served["options"]?.arrayValue ?? []
            #expect(served["options"] == nil || !options.isEmpty, "\(family.name): an empty options list")
            #expect(
                options.compactMap { $0["name"]?.stringValue } == family.options.map(\.name),
                "\(family.name): catalogue options \(options)"
            )
            for (entry, option) in zip(options, family.options) {
                #expect(entry["choices"] == .array(option.choices.map { .string($0) }), "\(option.name) choices")
                #expect(entry["default"] == .string(option.defaultValue), "\(option.name) default")
            }
        }
        #expect(
            Registry.family(named: "optax")?.options.map(\.name) == ["mode"]
                && Registry.family(named: "keras")?.options.map(\.name) == ["backend"],
            "optax has mode and keras backend"
        )
        let (postStatus, _, postResponse) = call("POST", "/v1/schedulers", "{}")
        #expect(postStatus == 405, "POST /v1/schedulers: expected 405, got \(postStatus)")
        #expect(header(postResponse, "Allow") == "GET, HEAD")
    }

    @Test("answers carry framework, group_lrs, momentums and warnings only when they apply")
    func answerMembers() throws {
        let hf =
            #"{"framework":"transformers","scheduler":"constant","lr":[0.1,0.2],"params":{"num_warmup_steps":5},"epochs":2}"#
        let (status, json, response) = call("POST", "/v1/schedules", hf)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        #expect(json?["framework"] == .string("transformers"))
        #expect(
            json?["group_lrs"]
                == .array([.array([.double(0.1), .double(0.1)]), .array([.double(0.2), .double(0.2)])]),
            "group_lrs: \(String(describing: json?["group_lrs"]))"
        )
        #expect(json?["warnings"]?.arrayValue?.count == 1, "warnings: \(String(describing: json?["warnings"]))")
        #expect(json?["momentums"] == nil)

        let torch = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":1},"epochs":2}"#
        let plain = call("POST", "/v1/schedules", torch).json
        #expect(
            plain?.objectValue?.keys == ["scheduler", "epochs", "start", "lrs"],
            "a one-group torch answer keeps today's members, got \(String(describing: plain?.objectValue?.keys))"
        )

        let cyclic = #"{"scheduler":"CyclicLR","params":{"base_lr":0.1,"max_lr":1,"step_size_up":2},"epochs":3}"#
        let momentums = call("POST", "/v1/schedules", cyclic).json?["momentums"]?.arrayValue?.compactMap(\.doubleValue)
        #expect(momentums == [0.9, 0.8500000000000001, 0.8], "CyclicLR momentums: \(String(describing: momentums))")
    }

    @Test(
        "optax and keras answers echo their option right after scheduler, and say exact: false only where lrsched approximates",
        arguments: [
            (
                #"{"framework":"optax","scheduler":"constant_schedule","params":{"value":0.1},"epochs":2}"#,
                ["framework", "scheduler", "mode", "epochs", "start", "lrs"], "jit"
            ),
            (
                #"{"framework":"optax","mode":"eager_vector","scheduler":"constant_schedule","params":{"value":0.1},"epochs":2}"#,
                ["framework", "scheduler", "mode", "epochs", "start", "lrs"], "eager_vector"
            ),
            (
                #"{"framework":"keras","scheduler":"CosineDecay","params":{"initial_learning_rate":0.1,"decay_steps":4},"epochs":2}"#,
                ["framework", "scheduler", "backend", "epochs", "start", "lrs"], "jax"
            ),
            (
                #"{"framework":"keras","backend":"torch","scheduler":"ExponentialDecay","params":{"initial_learning_rate":0.1,"decay_steps":4,"decay_rate":0.5},"epochs":2}"#,
                ["framework", "scheduler", "backend", "epochs", "start", "lrs"], "torch"
            ),
            (
                #"{"framework":"keras","backend":"torch","scheduler":"CosineDecay","params":{"initial_learning_rate":0.1,"decay_steps":4},"epochs":2}"#,
                ["framework", "scheduler", "backend", "exact", "epochs", "start", "lrs", "warnings"], "torch"
            ),
        ]
    )
    func familyOptionMembers(_ body: String, _ keys: [String], _ option: String) throws {
        let (status, json, response) = call("POST", "/v1/schedules", body)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let object = try #require(json?.objectValue)
        #expect(object.keys == keys, "members \(object.keys)")
        #expect(object[keys[2]] == .string(option), "\(keys[2]): \(String(describing: object[keys[2]]))")
        #expect(object["exact"] == (keys.contains("exact") ? .bool(false) : nil))
    }

    @Test(
        "an option outside its choices, or in a family without it, is a 422 at its pointer",
        arguments: [
            (
                #"{"framework":"optax","mode":"vector","scheduler":"constant_schedule","params":{"value":0.1},"epochs":2}"#,
                "/mode", #"must be one of "jit", "eager", "eager_vector", got "vector""#
            ),
            (
                #"{"framework":"keras","backend":"tensorflow","scheduler":"CosineDecay","params":{"initial_learning_rate":0.1,"decay_steps":4},"epochs":2}"#,
                "/backend", #"must be one of "jax", "torch", got "tensorflow""#
            ),
            (
                #"{"scheduler":"StepLR","backend":"jax","lr":0.1,"params":{"step_size":1},"epochs":2}"#,
                "/backend", "is not a known field"
            ),
        ]
    )
    func familyOptionErrors(_ body: String, _ pointer: String, _ detail: String) throws {
        let (status, json, response) = call("POST", "/v1/schedules", body)
        #expect(status == 422, "expected 422, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let errors = json?["errors"]?.arrayValue ?? []
        let matching = errors.filter {
            $0["pointer"] == .string(pointer) && ($0["detail"]?.stringValue ?? "").hasPrefix(detail)
        }
        #expect(!matching.isEmpty, "errors: \(errors)")
    }

    @Test("README's scheduler reference names every scheduler of every family, in registry order")
    func readmeAgrees() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(
            lines.firstIndex(of: "## Scheduler reference"),
            "README has no \"## Scheduler reference\""
        )
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.count
        var listed: [String: [String]] = [:]
        var family: String?
        for line in lines[start..<end] {
            if line.hasPrefix("### ") { family = String(line.dropFirst(4)) }
            if line.hasPrefix("#### `"), let family {
                listed[family, default: []].append(line.dropFirst(6).replacingOccurrences(of: "`", with: ""))
            }
        }
        for family in Registry.families {
            #expect(
                Set(listed[family.name] ?? []) == Set(family.schedulerNames),
                "README ### \(family.name) lists \(listed[family.name] ?? []), the registry \(family.schedulerNames)"
            )
        }
        #expect(Set(listed.keys) == Set(Registry.families.map(\.name)), "README families: \(listed.keys.sorted())")
    }

    @Test("openapi.yaml's info.version is the service's version")
    func openAPIVersion() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        #expect(
            text.contains("\n  version: \(LRSchedVersion.current)\n"),
            "openapi.yaml's info.version must be \(LRSchedVersion.current)"
        )
    }

    @Test("openapi.yaml names every scheduler and describes every parameter")
    func openAPIAgrees() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        /// The lines of `components/schemas/<name>`.
        func schema(_ name: String) -> ArraySlice<String>? {
            guard let start = lines.firstIndex(of: "    \(name):") else { return nil }
            let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("    ") && !$0.hasPrefix("     ") } ?? lines.count
            return lines[(start + 1)..<end]
        }
        let enums = [
            "torch": "SchedulerName", "transformers": "TransformersSchedulerName", "timm": "TimmSchedulerName",
            "optax": "OptaxSchedulerName", "keras": "KerasSchedulerName", "deepspeed": "DeepSpeedSchedulerName",
            "mmengine": "MMEngineSchedulerName", "megatron": "MegatronSchedulerName",
        ]
        let specs = try #require(schema("SchedulerSpecs"), "openapi.yaml has no SchedulerSpecs")
        for family in Registry.families {
            let name = try #require(enums[family.name], "no openapi enum for family \(family.name)")
            let body = try #require(schema(name), "openapi.yaml has no schema \(name)")
            let values = body.filter { $0.hasPrefix("        - ") }.map { String($0.dropFirst(10)) }
            #expect(values == family.schedulerNames, "\(name) lists \(values), the registry \(family.schedulerNames)")
            for type in family.schedulers {
                let params = Self.paramsSchema(family: family.name, scheduler: type.name)
                guard let body = schema(params) else {
                    Issue.record("openapi.yaml has no schema \(params) for \(family.name)/\(type.name)")
                    continue
                }
                let spec = String(params.dropLast("Params".count)) + "Spec"
                let binding = schema(spec)?.joined(separator: "\n") ?? ""
                #expect(
                    binding.contains("scheduler: {const: \(type.name)}")
                        && binding.contains("$ref: '#/components/schemas/\(params)'"),
                    "openapi.yaml's \(spec) must bind scheduler \(type.name) to \(params)"
                )
                #expect(
                    specs.contains("        - $ref: '#/components/schemas/\(spec)'"),
                    "SchedulerSpecs does not list \(spec)"
                )
                let properties = body.filter {
                    $0.hasPrefix("        ") && !$0.hasPrefix("         ") && $0.hasSuffix(":")
                }
                .map { String($0.dropFirst(8).dropLast()) }
                #expect(
                    Set(properties) == Set(type.parameters.map(\.name)),
                    "\(params) has \(properties.sorted()), the registry \(type.parameters.map(\.name).sorted())"
                )
            }
        }
    }

    /// The openapi schema of a scheduler's `params`: `StepLRParams`, `TransformersCosineWithRestartsParams`,
    /// `TimmCosineLRSchedulerParams`, `OptaxJoinSchedulesParams`, `KerasCosineDecayParams`.
    static func paramsSchema(family: String, scheduler: String) -> String {
        switch family {
        case "transformers":
            let camel = scheduler.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            return "Transformers\(camel)Params"
        case "timm": return "Timm\(scheduler)Params"
        case "optax":
            // `contrib.reduce_on_plateau` is `OptaxContribReduceOnPlateauParams`.
            let camel = scheduler.split(whereSeparator: { $0 == "_" || $0 == "." })
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            return "Optax\(camel)Params"
        case "keras": return "Keras\(scheduler)Params"
        case "deepspeed": return "DeepSpeed\(scheduler)Params"
        case "mmengine": return "MMEngine\(scheduler)Params"
        case "megatron": return "Megatron\(scheduler)Params"
        default: return "\(scheduler)Params"
        }
    }
}
