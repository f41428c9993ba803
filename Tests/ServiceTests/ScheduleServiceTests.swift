import HTTPServer
import JSON
import Service
import Testing

/// Calls the service the way the server does, without a socket.
func call(
    _ method: String,
    _ path: String,
    _ body: String = "",
    service: Application = Application()
) -> (status: Int, json: JSONValue?, response: HTTPResponse) {
    let request = HTTPRequest(method: HTTPMethod(method)!, path: path, query: nil, body: Array(body.utf8))
    let response = service.handle(request)
    return (response.status.code, try? JSONParser.parse(response.body), response)
}

/// The first value of the header `name` (any case).
func header(_ response: HTTPResponse, _ name: String) -> String? {
    HTTPField.Name(name).flatMap { response.headerFields[$0] }
}

/// The pointers of a problem's `errors`.
func pointers(_ json: JSONValue?) -> [String] {
    json?["errors"]?.arrayValue?.compactMap { $0["pointer"]?.stringValue } ?? []
}

@Suite("routes and problem+json answers")
struct ScheduleServiceTests {
    @Test func healthz() {
        let (status, json, response) = call("GET", "/healthz")
        #expect(status == 200, "expected 200, got \(status)")
        #expect(json?["status"] == .string("ok"), "body: \(String(decoding: response.body, as: UTF8.self))")
        #expect(header(response, "Content-Type") == "application/json")
    }

    @Test func seedExample() throws {
        let body = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":30,"start":1}"#
        let (status, json, response) = call("POST", "/v1/schedules", body)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let lrs = try #require(json?["lrs"]?.arrayValue).compactMap(\.doubleValue)
        #expect(lrs.count == 30, "expected 30 values, got \(lrs.count)")
        #expect(lrs.first == 0.1, "epoch 1: expected 0.1, got \(String(describing: lrs.first))")
        #expect(
            lrs.last == 0.07290000000000002,
            "epoch 30: expected 0.07290000000000002, got \(String(describing: lrs.last))"
        )
        #expect(json?["scheduler"] == .string("StepLR"))
        #expect(json?["epochs"] == .integer(30))
        #expect(json?["start"] == .integer(1))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.hasPrefix(#"{"scheduler":"StepLR","epochs":30,"start":1,"lrs":[0.1,"#), "body: \(text)")
        #expect(text.contains("0.09000000000000001,"), "the writer must print Python's repr, body: \(text)")
    }

    @Test func unknownRouteIs404Problem() {
        let (status, json, response) = call("GET", "/nope")
        #expect(status == 404, "expected 404, got \(status)")
        #expect(header(response, "Content-Type") == "application/problem+json")
        #expect(json?["status"] == .integer(404))
        #expect(json?["type"]?.stringValue?.isEmpty == false)
        #expect(json?["title"]?.stringValue?.isEmpty == false)
    }

    @Test func wrongMethodIs405WithAllow() {
        let (status, json, response) = call("DELETE", "/v1/schedules/batch")
        #expect(status == 405, "expected 405, got \(status)")
        #expect(header(response, "Allow") == "POST", "Allow: \(header(response, "Allow") ?? "missing")")
        #expect(json?["status"] == .integer(405))
        let health = call("POST", "/healthz")
        #expect(
            health.status == 405 && header(health.response, "Allow") == "GET, HEAD",
            "POST /healthz: expected 405 with Allow GET, HEAD, got \(health.status) \(header(health.response, "Allow") ?? "-")"
        )
    }

    @Test func malformedJSONSaysWhere() {
        let (status, json, _) = call("POST", "/v1/schedules", "{\"scheduler\": \"StepLR\",\n \"lr\": 0.1,,}")
        #expect(status == 400, "expected 400, got \(status)")
        #expect(json?["line"] == .integer(2), "line: \(String(describing: json?["line"]))")
        #expect(json?["column"]?.intValue != nil)
        #expect(
            json?["detail"]?.stringValue?.contains("line 2") == true,
            "detail: \(String(describing: json?["detail"]))"
        )
    }

    @Test(
        "bodies that are not a spec are 400",
        arguments: ["", "   ", "[1,2", "nul", String(repeating: "[", count: 100_000)]
    )
    func notJSON(_ body: String) {
        let (status, json, _) = call("POST", "/v1/schedules", body)
        #expect(status == 400, "body \(body.prefix(10)): expected 400, got \(status)")
        #expect(json?["status"] == .integer(400))
    }

    @Test func typoIsAnErrorWithPointerAndSuggestion() throws {
        let (status, json, _) = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"StepLR","lr":0.1,"params":{"stepsize":10},"epochs":3}"#
        )
        #expect(status == 422, "expected 422, got \(status)")
        let errors = try #require(json?["errors"]?.arrayValue)
        let typo = try #require(errors.first { $0["pointer"] == .string("/params/stepsize") }, "errors: \(errors)")
        #expect(
            typo["detail"]?.stringValue?.contains("step_size") == true,
            "detail: \(String(describing: typo["detail"]))"
        )
        #expect(
            pointers(json).contains("/params/step_size"),
            "missing step_size must be reported too: \(pointers(json))"
        )
    }

    @Test func everyProblemIsReported() {
        let (status, json, _) = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"StepLR","lr":-1,"params":{"step_size":0,"gamma":"x"},"epochs":0,"extra":1}"#
        )
        #expect(status == 422, "expected 422, got \(status)")
        let found = Set(pointers(json))
        let expected: Set = ["/lr", "/params/step_size", "/params/gamma", "/epochs", "/extra"]
        #expect(found == expected, "expected pointers \(expected.sorted()), got \(found.sorted())")
    }

    @Test func stepSizeZeroNamesTheValue() throws {
        let (_, json, _) = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":0},"epochs":3}"#
        )
        let detail = try #require(json?["errors"]?[0]?["detail"]?.stringValue)
        #expect(detail.contains("got 0"), "detail should name the value received: \(detail)")
    }

    @Test func overflowIs422NotInvalidJSON() throws {
        let (status, json, response) = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"ExponentialLR","lr":0.1,"params":{"gamma":1e300},"epochs":5}"#
        )
        #expect(status == 422, "expected 422, got \(status)")
        #expect(json != nil, "body must be valid JSON: \(String(decoding: response.body, as: UTF8.self))")
        #expect(
            json?["epoch"] == .integer(2),
            "ExponentialLR(1e300) from 0.1 overflows at epoch 2, got \(String(describing: json?["epoch"]))"
        )
        #expect(pointers(json) == ["/params"])
    }

    @Test func lambdaSyntaxErrorPointsAtTheExpression() throws {
        let (status, json, _) = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"LambdaLR","lr":0.1,"params":{"lr_lambda":"0.95 ** (epoch"},"epochs":5}"#
        )
        #expect(status == 422, "expected 422, got \(status)")
        #expect(pointers(json) == ["/params/lr_lambda"], "pointers: \(pointers(json))")
        let detail = json?["errors"]?[0]?["detail"]?.stringValue ?? ""
        #expect(detail.contains("column"), "detail should give the column: \(detail)")
    }

    @Test func plateauNeedsMetrics() {
        let (status, json, _) = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"ReduceLROnPlateau","lr":0.1,"params":{"patience":1},"epochs":5,"metrics":[1,1]}"#
        )
        #expect(status == 422, "expected 422, got \(status)")
        #expect(pointers(json) == ["/metrics"], "pointers: \(pointers(json))")
    }

    @Test func plateauInsideSequentialIsRefused() {
        let body =
            #"{"scheduler":"SequentialLR","lr":0.1,"params":{"schedulers":[{"scheduler":"StepLR","params":{"step_size":2}},{"scheduler":"ReduceLROnPlateau"}],"milestones":[3]},"epochs":5}"#
        let (status, json, _) = call("POST", "/v1/schedules", body)
        #expect(status == 422, "expected 422, got \(status)")
        #expect(pointers(json) == ["/params/schedulers/1/scheduler"], "pointers: \(pointers(json))")
    }

    @Test func nestedPointers() {
        let body =
            #"{"scheduler":"ChainedScheduler","lr":0.1,"params":{"schedulers":[{"scheduler":"StepLR","params":{"step_size":2}},{"scheduler":"ExponentialLR","params":{"gamma":"big"}}]},"epochs":5}"#
        let (status, json, _) = call("POST", "/v1/schedules", body)
        #expect(status == 422, "expected 422, got \(status)")
        #expect(pointers(json) == ["/params/schedulers/1/params/gamma"], "pointers: \(pointers(json))")
    }

    @Test func limitsAreEnforced() {
        var configuration = ServiceConfiguration()
        configuration.limits.maxEpochs = 100
        let service = Application(configuration: configuration)
        let tooMany = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":2},"epochs":101}"#,
            service: service
        )
        #expect(
            tooMany.status == 422 && pointers(tooMany.json) == ["/epochs"],
            "epochs over the limit: \(tooMany.status) \(pointers(tooMany.json))"
        )
        let farStart = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":2},"epochs":1,"start":101}"#,
            service: service
        )
        #expect(
            farStart.status == 422 && pointers(farStart.json) == ["/start"],
            "start over the limit: \(farStart.status) \(pointers(farStart.json))"
        )
    }

    @Test func oneCycleOverstepIsAnError() {
        let (status, json, _) = call(
            "POST",
            "/v1/schedules",
            #"{"scheduler":"OneCycleLR","params":{"max_lr":1.0,"total_steps":10},"epochs":12}"#
        )
        #expect(status == 422, "expected 422, got \(status)")
        #expect(
            json?["epoch"] == .integer(11),
            "torch raises on the 11th step, got \(String(describing: json?["epoch"]))"
        )
    }

    @Test func rejectionsAreProblems() {
        let service = ScheduleService()
        let cases: [(HTTPRejection, HTTPStatus)] = [
            (.bodyTooLarge(limit: 10), 413), (.duplicateContentLength, 400),
            (.transferEncodingWithContentLength, 400), (.unsupportedTransferEncoding("gzip"), 400),
            (.invalidContentLength("x"), 400),
        ]
        for (rejection, expected) in cases {
            let response = service.reject(rejection)
            let json = try? JSONParser.parse(response.body)
            #expect(response.status == expected, "\(rejection): expected \(expected), got \(response.status)")
            #expect(
                json?["status"] == .integer(expected.code),
                "\(rejection): body status \(String(describing: json?["status"]))"
            )
            #expect(header(response, "Content-Type") == "application/problem+json")
        }
    }
}
