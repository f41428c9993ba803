import Foundation
import HTTPServer
import JSON
import Schedules
import Service
import Testing

/// Posts `body` to `/v1/schedules/batch`.
func batch(_ body: String, query: String? = nil) -> HTTPResponse {
    Application().handle(
        HTTPRequest(method: .post, path: "/v1/schedules/batch", query: query, body: Array(body.utf8))
    )
}

@Suite("POST /v1/schedules/batch: several schedules, compared")
struct BatchTests {
    static let warmupCosine = """
        {"diff":true,"requests":[
          {"label":"torch","scheduler":"SequentialLR","lr":0.1,"params":{"schedulers":[{"scheduler":"LinearLR","params":{"start_factor":0.1,"total_iters":2}},{"scheduler":"CosineAnnealingLR","params":{"T_max":8}}],"milestones":[2]},"epochs":10},
          {"label":"hf","framework":"transformers","scheduler":"cosine","lr":0.1,"params":{"num_warmup_steps":2,"num_training_steps":10},"epochs":10},
          {"scheduler":"StepLR","lr":0.1,"params":{"step_size":0},"epochs":5},
          {"label":"same","scheduler":"SequentialLR","lr":0.1,"params":{"schedulers":[{"scheduler":"LinearLR","params":{"start_factor":0.1,"total_iters":2}},{"scheduler":"CosineAnnealingLR","params":{"T_max":8}}],"milestones":[2]},"epochs":4,"start":6}
        ]}
        """

    @Test("results come in order: answers equal to the single route's, problems pointing into the batch")
    func inOrder() throws {
        let response = batch(Self.warmupCosine)
        #expect(response.status == 200)
        let json = try JSONParser.parse(response.body)
        let results = try #require(json["results"]?.arrayValue)
        #expect(results.count == 4)
        let single = try JSONParser.parse(
            schedule(
                #"{"framework":"transformers","scheduler":"cosine","lr":0.1,"params":{"num_warmup_steps":2,"num_training_steps":10},"epochs":10}"#
            ).body
        )
        #expect(results[1]["lrs"] == single["lrs"], "item 1: \(results[1]), single: \(single)")
        #expect(results[0]["label"]?.stringValue == "torch" && results[1]["label"]?.stringValue == "hf")
        #expect(results[2]["status"]?.intValue == 422)
        #expect(results[2]["errors"]?[0]?["pointer"]?.stringValue == "/requests/2/params/step_size")
    }

    @Test("diff names the first differing epoch and the largest relative difference against the first item")
    func diff() throws {
        let json = try JSONParser.parse(batch(Self.warmupCosine).body)
        let results = try #require(json["results"]?.arrayValue)
        #expect(results[0]["diff"] == nil, "the first item is the reference")
        // Epoch 0: torch's LinearLR starts at 0.1 × 0.1, HF's warm-up at 0.
        let hf = try #require(results[1]["diff"])
        #expect(hf["first_difference"]?.intValue == 0)
        #expect(hf["max_relative_difference"]?.doubleValue == 1.0)
        #expect(hf["compared_epochs"]?.intValue == 10)
        // The same schedule over epochs 6..9 only: no difference.
        let same = try #require(results[3]["diff"])
        #expect(same["first_difference"] == .null)
        #expect(same["max_relative_difference"]?.doubleValue == 0)
        #expect(same["compared_epochs"]?.intValue == 4)
        #expect(same["differing_steps"]?.intValue == 0 && same["largest_difference"] == .null)
    }

    @Test("diff says where the largest difference is, how many steps differ, and rtol/atol ignore float32 rounding")
    func diffWhere() throws {
        let hf =
            #"{"framework":"transformers","scheduler":"cosine","lr":0.001,"params":{"num_warmup_steps":10,"num_training_steps":100},"epochs":100}"#
        let optax =
            #"{"framework":"optax","scheduler":"warmup_cosine_decay_schedule","params":{"init_value":0.0,"peak_value":0.001,"warmup_steps":10,"decay_steps":100},"epochs":100}"#
        let wrong = optax.replacingOccurrences(of: #""decay_steps":100"#, with: #""decay_steps":110"#)
        func diffs(_ tolerance: String) throws -> [JSONValue] {
            let (status, json, _) = call(
                "POST",
                "/v1/schedules/batch",
                #"{"requests":[\#(hf),\#(optax),\#(wrong)],"diff":true\#(tolerance)}"#
            )
            #expect(status == 200)
            return try #require(json?["results"]?.arrayValue).dropFirst().compactMap { $0["diff"] }
        }
        // Bit for bit, float32 rounding makes both optax schedules differ almost everywhere.
        let exact = try diffs("")
        #expect((exact[0]["differing_steps"]?.intValue ?? 0) > 80, "float32 vs float64, bit for bit: \(exact[0])")
        // With tolerances, the real counterpart matches and the wrong one differs from step 11.
        let tolerant = try diffs(#","rtol":1e-6,"atol":1e-9"#)
        #expect(tolerant[0]["differing_steps"]?.intValue == 0, "the real counterpart: \(tolerant[0])")
        #expect(tolerant[0]["first_difference"] == .null)
        #expect(tolerant[1]["first_difference"]?.intValue == 11, "decay_steps 110: \(tolerant[1])")
        #expect(tolerant[1]["differing_steps"]?.intValue == 89, "decay_steps 110: \(tolerant[1])")
        #expect(tolerant[1]["largest_difference"]?["step"]?.intValue == 99, "decay_steps 110: \(tolerant[1])")
    }

    @Test("ScheduleDifference over partly overlapping ranges")
    func differenceValue() throws {
        func answer(_ body: String) throws -> ScheduleAnswer {
            let request = try ScheduleRequest.decode(try JSONParser.parse(Array(body.utf8)))
            return ScheduleAnswer(request: request, values: try request.evaluate())
        }
        let base = try answer(#"{"scheduler":"StepLR","lr":1.0,"params":{"step_size":3,"gamma":0.5},"epochs":10}"#)
        let other = try answer(
            #"{"scheduler":"StepLR","lr":1.0,"params":{"step_size":4,"gamma":0.5},"epochs":10,"start":2}"#
        )
        let difference = ScheduleDifference(other, against: base)
        // Epochs 2..9 overlap; step_size 3 halves at 3, step_size 4 only at 4.
        #expect(difference.comparedEpochs == 8)
        #expect(difference.firstDifference == 3, "first difference: \(String(describing: difference.firstDifference))")
        #expect(difference.maxRelativeDifference == 0.5)
    }

    @Test("CSV: one column per item over the union of epochs, labels quoted as RFC 4180 asks")
    func csv() {
        let response = batch(
            #"{"requests":[{"label":"a, \"b\"","scheduler":"StepLR","lr":0.1,"params":{"step_size":2},"epochs":3},{"scheduler":"ExponentialLR","lr":0.1,"params":{"gamma":0.5},"epochs":2,"start":2}]}"#,
            query: "format=csv"
        )
        #expect(response.status == 200)
        #expect(
            response.text
                == "epoch,\"a, \"\"b\"\"\",ExponentialLR (torch)\r\n0,0.1,\r\n1,0.1,\r\n2,0.010000000000000002,0.025\r\n3,,0.0125\r\n",
            "got \(response.text)"
        )
    }

    @Test("SVG: one line per item and a legend with the labels")
    func svg() throws {
        let response = batch(
            Self.warmupCosine.replacingOccurrences(
                of: #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":0},"epochs":5},"#,
                with: ""
            ),
            query: "format=svg"
        )
        #expect(response.status == 200)
        let probe = try #require(SVGProbe.parse(response.body))
        #expect(probe.polylinePoints.count == 3)
        #expect(probe.texts.contains("torch") && probe.texts.contains("hf") && probe.texts.contains("same"))
    }

    @Test("CSV and SVG need every item to succeed: otherwise a 422 with every item's errors")
    func chartNeedsAll() throws {
        let response = batch(Self.warmupCosine, query: "format=svg")
        #expect(response.status == 422)
        let problem = try JSONParser.parse(response.body)
        #expect(problem["errors"]?[0]?["pointer"]?.stringValue == "/requests/2/params/step_size")
    }

    @Test(
        "a bad batch is refused as a whole",
        arguments: [
            (#"{"requests":[]}"#, "/requests"),
            (#"{"requests":{}}"#, "/requests"),
            (#"{"requests":[5]}"#, "/requests/0"),
            (
                #"{"requests":[{"scheduler":"StepLR","lr":0.1,"params":{"step_size":1},"epochs":1}],"extra":1}"#,
                "/extra"
            ),
            (
                #"{"requests":[{"label":7,"scheduler":"StepLR","lr":0.1,"params":{"step_size":1},"epochs":1}]}"#,
                "/requests/0/label"
            ),
            (
                #"{"requests":[{"scheduler":"StepLR","lr":0.1,"params":{"step_size":1},"epochs":1}],"diff":"yes"}"#,
                "/diff"
            ),
        ]
    )
    func refused(_ body: String, _ pointer: String) throws {
        let response = batch(body)
        #expect(response.status == 422, "\(body): \(response.status)")
        let problem = try JSONParser.parse(response.body)
        #expect(problem["errors"]?[0]?["pointer"]?.stringValue == pointer, "\(body): \(response.text)")
    }

    @Test("more than 16 requests, or more work together than one request may do, is refused")
    func limits() throws {
        let one = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":1},"epochs":1}"#
        let many = batch(#"{"requests":["# + Array(repeating: one, count: 17).joined(separator: ",") + "]}")
        #expect(many.status == 422)
        // Each 600,000-epoch request is within the limit of 50,000,000 work; 100 of them... only 16 fit, so
        // use a costly lambda instead: each request alone passes, together they do not.
        let heavy =
            #"{"scheduler":"LambdaLR","lr":0.1,"params":{"lr_lambda":"0.99 ** epoch * (1 + epoch % 7) / (2 + epoch % 5)"},"epochs":1000000}"#
        let single = schedule(heavy)
        #expect(single.status == 200, "one heavy request alone: \(single.status) \(single.text.prefix(200))")
        let together = batch(#"{"requests":["# + Array(repeating: heavy, count: 16).joined(separator: ",") + "]}")
        #expect(together.status == 422)
        #expect(together.text.contains("shared work limit"), "\(together.text.prefix(300))")
    }
}

@Suite("GET /openapi.yaml")
struct OpenAPIRouteTests {
    @Test("serves the repository's openapi.yaml byte for byte, compiled into the binary")
    func servesSpec() throws {
        let response = Application().handle(HTTPRequest(method: .get, path: "/openapi.yaml"))
        #expect(response.status == 200)
        #expect(response.contentType == "application/yaml; charset=utf-8")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try Data(contentsOf: root.appendingPathComponent("openapi.yaml"))
        #expect(
            response.body == [UInt8](file),
            "the served spec differs from openapi.yaml (\(response.body.count) vs \(file.count) bytes)"
        )
        let post = Application().handle(HTTPRequest(method: .post, path: "/openapi.yaml"))
        #expect(post.status == 405)
        #expect(post.headerFields[.allow] == "GET, HEAD", "Allow: \(String(describing: post.headerFields[.allow]))")
    }
}

@Suite("GET /: the playground page")
struct PlaygroundRouteTests {
    @Test("serves the page compiled into the binary, with a policy that allows only this origin")
    func servesPage() throws {
        let response = Application().handle(HTTPRequest(method: .get, path: "/"))
        #expect(response.status == 200)
        #expect(response.contentType == "text/html; charset=utf-8")
        let policy = response.headerFields[.contentSecurityPolicy] ?? ""
        #expect(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"), "policy: \(policy)")
        let html = response.text
        #expect(html.hasPrefix("<!doctype html>"))
        // Self-contained: no external script, style, font or image.
        for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
            #expect(!html.contains(external), "the page loads something external: \(external)")
        }
        #expect(html.contains("/v1/schedulers") && html.contains("/v1/schedules/batch"))
    }
}
