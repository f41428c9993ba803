import HTTPServer
import Testing

@Suite("Values")
struct ValueTests {
    @Test("header(_:) matches names case-insensitively and returns the first match")
    func headerLookup() {
        let request = HTTPRequest(
            method: "GET",
            path: "/",
            headers: [(name: "X-Thing", value: "one"), (name: "x-thing", value: "two"), (name: "Accept", value: "*/*")]
        )
        #expect(
            request.header("x-THING") == "one",
            "expected first match 'one', got \(String(describing: request.header("x-THING")))"
        )
        #expect(
            request.header("accept") == "*/*",
            "expected '*/*', got \(String(describing: request.header("accept")))"
        )
        #expect(request.header("Missing") == nil, "expected nil, got \(String(describing: request.header("Missing")))")
        #expect(
            request.header("X-Thin") == nil,
            "expected nil for a prefix, got \(String(describing: request.header("X-Thin")))"
        )
    }

    @Test("rejections suggest 413 for an oversized body and 400 otherwise")
    func suggestedStatus() {
        let cases: [(HTTPRejection, Int)] = [
            (.bodyTooLarge(limit: 10), 413),
            (.duplicateContentLength, 400),
            (.transferEncodingWithContentLength, 400),
            (.unsupportedTransferEncoding("gzip"), 400),
            (.invalidContentLength("x"), 400),
        ]
        for (rejection, expected) in cases {
            #expect(
                rejection.suggestedStatus == expected,
                "\(rejection): expected \(expected), got \(rejection.suggestedStatus)"
            )
        }
    }

    @Test("an out-of-range setting is reported before binding")
    func invalidConfiguration() {
        var configuration = HTTPServerConfiguration()
        configuration.port = 70_000
        let server = HTTPServer(
            configuration: configuration,
            handler: { _ in HTTPResponse(status: 200) },
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        #expect(throws: HTTPServerError.self) { try server.start() }
        do {
            try server.start()
        } catch let error as HTTPServerError {
            guard case .invalidConfiguration(let reason) = error else {
                Issue.record("expected invalidConfiguration, got \(error)")
                return
            }
            #expect(reason.contains("70000"), "expected the message to name 70000, got '\(reason)'")
        } catch {
            Issue.record("expected HTTPServerError, got \(error)")
        }
    }

    @Test("the default configuration uses at least one thread")
    func defaults() {
        let configuration = HTTPServerConfiguration()
        #expect(configuration.threads >= 1, "expected threads >= 1, got \(configuration.threads)")
        #expect(configuration.host == "127.0.0.1", "expected host 127.0.0.1, got \(configuration.host)")
        #expect(configuration.port == 8080, "expected port 8080, got \(configuration.port)")
        #expect(configuration.maxBodyBytes == 1_048_576, "expected 1048576, got \(configuration.maxBodyBytes)")
    }
}
