import Foundation
import HTTPServer
import JSON
import Schedules
import Service
import Testing

/// Trainer requests through the service: every route and format takes them, errors point at the
/// user's own field, and the catalogue and documents list every trainer.
@Suite("trainer requests through the service")
struct TrainerRouteTests {
    /// The HF example of the README: 50,000 examples, batch 16, accumulation 4, 4 processes.
    static let hf =
        #"{"trainer":"transformers","args":{"learning_rate":1e-3,"lr_scheduler_type":"cosine","warmup_steps":0.1,"num_train_epochs":3,"per_device_train_batch_size":16,"gradient_accumulation_steps":4,"output_dir":"out"},"dataset_size":50000,"world_size":4}"#

    @Test("a transformers trainer request answers every update with its plan and warnings")
    func transformersPlan() throws {
        let (status, json, response) = call("POST", "/v1/schedules", Self.hf)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        #expect(json?["trainer"] == .string("transformers"))
        let lrs = try #require(json?["lrs"]?.arrayValue).compactMap(\.doubleValue)
        #expect(lrs.count == 588, "expected 588 updates, got \(lrs.count)")
        #expect(lrs.first == 0.0, "update 1: expected 0.0, got \(String(describing: lrs.first))")
        #expect(lrs[59] == 0.001, "update 60 ends the warm-up at the peak: expected 0.001, got \(lrs[59])")
        let plan = try #require(json?["plan"])
        #expect(plan["total_updates"] == .integer(588), "plan: \(plan)")
        #expect(plan["warmup_updates"] == .integer(59), "plan: \(plan)")
        #expect(plan["updates_per_epoch"] == .integer(196), "plan: \(plan)")
        #expect(plan["scheduler"]?["params"]?["num_training_steps"] == .integer(588), "plan: \(plan)")
        let warnings = json?["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("output_dir") }, "warnings: \(warnings)")
    }

    @Test("the plan's scheduler is a spec /v1/schedules answers with the same values")
    func planSpecReproduces() throws {
        let (_, json, _) = call("POST", "/v1/schedules", Self.hf)
        let spec = try #require(json?["plan"]?["scheduler"]?.objectValue)
        let request = JSONObject(spec.members + [("lr", .double(1e-3)), ("epochs", .integer(588))])
        let body = String(decoding: JSONWriter.encode(.object(request)), as: UTF8.self)
        let (status, again, _) = call("POST", "/v1/schedules", body)
        #expect(status == 200, "the plan's spec is refused: \(body)")
        #expect(again?["lrs"] == json?["lrs"], "the plan's spec gives other values")
    }

    @Test("CSV counts updates from 1; SVG labels its axis with optimizer updates")
    func formats() throws {
        let service = Application()
        let csv = service.handle(
            HTTPRequest(
                method: .post,
                path: "/v1/schedules",
                query: "format=csv",

                body: Array(Self.hf.utf8)
            )
        )
        let text = String(decoding: csv.body, as: UTF8.self)
        #expect(text.hasPrefix("update,lr\r\n1,0.0\r\n2,1.694915254237288e-05\r\n"), "CSV: \(text.prefix(80))")
        let svg = service.handle(
            HTTPRequest(
                method: .post,
                path: "/v1/schedules",
                query: "format=svg",

                body: Array(Self.hf.utf8)
            )
        )
        let drawing = String(decoding: svg.body, as: UTF8.self)
        #expect(svg.status == 200 && drawing.contains("optimizer update"), "SVG: \(drawing.prefix(200))")
        #expect(drawing.contains("transformers trainer: cosine"), "SVG title: \(drawing.prefix(400))")
    }

    @Test("the batch route compares trainer configurations")
    func batch() throws {
        let one = Self.hf
        let eight = Self.hf.replacingOccurrences(of: #""world_size":4"#, with: #""world_size":8"#)
        let (status, json, _) = call("POST", "/v1/schedules/batch", #"{"requests":[\#(one),\#(eight)],"diff":true}"#)
        #expect(status == 200, "batch: \(String(describing: json))")
        let results = try #require(json?["results"]?.arrayValue)
        #expect(results.count == 2)
        #expect(
            results[1]["plan"]?["total_updates"] == .integer(294),
            "8 processes: \(String(describing: results[1]["plan"]))"
        )
        #expect(
            results[1]["diff"]?["first_difference"] == .integer(1),
            "diff: \(String(describing: results[1]["diff"]))"
        )
    }

    @Test(
        "bad trainer requests point at the field, with the name the user meant",
        arguments: [
            (#"{"trainer":"hf","args":{},"dataset_size":10}"#, "/trainer", "did you mean \"transformers\""),
            (
                #"{"trainer":"transformers","args":{"learning_rat":1e-3},"dataset_size":10}"#, "/args/learning_rat",
                "did you mean \"learning_rate\""
            ),
            (#"{"trainer":"transformers","args":{},"dataset_size":10,"epochs":5}"#, "/epochs", "derives it"),
            (
                #"{"trainer":"transformers","args":{"lr_scheduler_type":"cosine","lr_scheduler_kwargs":{"eta_min":0.1}},"dataset_size":10}"#,
                "/args/lr_scheduler_kwargs/eta_min", "not a known field"
            ),
            (
                #"{"trainer":"transformers","args":{"lr_scheduler_type":"cosine","lr_scheduler_kwargs":{"num_warmup_steps":3}},"dataset_size":10}"#,
                "/args/lr_scheduler_kwargs/num_warmup_steps", "multiple values"
            ),
            (
                #"{"trainer":"transformers","args":{"warmup_steps":-1},"dataset_size":10}"#, "/args/warmup_steps",
                "non-negative"
            ),
            (#"{"trainer":"transformers","args":{"max_steps":2000000},"dataset_size":10}"#, "/args", "at most"),
            (
                #"{"trainer":"lightning","lr":0.1,"batches_per_epoch":5,"lr_scheduler":{"scheduler":{"scheduler":"StepLR","params":{"step_size":1}},"interval":"batch"}}"#,
                "/lr_scheduler/interval", "\"step\" or \"epoch\""
            ),
            (
                #"{"trainer":"timm","args":{"sched":"cosin"},"batches_per_epoch":5}"#, "/args/sched",
                "did you mean \"cosine\""
            ),
            (
                #"{"trainer":"accelerate","scheduler":{"scheduler":"StepLR","params":{"step_sise":2}},"lr":0.1,"updates":5}"#,
                "/scheduler/params/step_sise", "did you mean \"step_size\""
            ),
            (
                #"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":10},"epochs":5,"start":2,"resume":{"from_update":4}}"#,
                "/start", "at least resume.from_update"
            ),
            (
                #"{"framework":"optax","scheduler":"constant_schedule","params":{"value":0.1},"epochs":5,"resume":{"from_update":4}}"#,
                "/resume", "torch schedulers"
            ),
        ]
    )
    func errors(_ body: String, _ pointer: String, _ detail: String) throws {
        let (status, json, response) = call("POST", "/v1/schedules", body)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(status == 422, "expected 422, got \(status): \(text)")
        #expect(header(response, "Content-Type") == "application/problem+json")
        let errors = json?["errors"]?.arrayValue ?? []
        let match = errors.first { $0["pointer"]?.stringValue == pointer }
        #expect(match != nil, "expected an error at \(pointer): \(text)")
        #expect(
            match?["detail"]?.stringValue?.contains(detail) == true,
            "the error at \(pointer) should say \(detail): \(text)"
        )
    }

    @Test("the catalogue lists every trainer and its fields; README and openapi.yaml name them")
    func catalogueAndDocuments() throws {
        let (_, json, _) = call("GET", "/v1/schedulers")
        let trainers = try #require(json?["trainers"]?.arrayValue, "no trainers in the catalogue")
        #expect(trainers.compactMap { $0["trainer"]?.stringValue } == Trainers.names)
        for trainer in trainers {
            let fields = trainer["fields"]?.arrayValue ?? []
            #expect(!fields.isEmpty, "\(trainer["trainer"] ?? .null) lists no fields")
        }
        let root = CatalogueTests.root
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let openapi = try String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        for name in Trainers.names {
            #expect(readme.contains("| `\(name)` |"), "README's trainer table has no row for \(name)")
            let prefix =
                ["deepspeed": "DeepSpeed", "mmengine": "MMEngine"][name] ?? name.prefix(1).uppercased()
                + name.dropFirst()
            let schema = prefix + "TrainerRequest:"
            #expect(openapi.contains("    \(schema)"), "openapi.yaml has no \(schema)")
        }
    }
}
