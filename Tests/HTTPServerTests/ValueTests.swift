import HTTPServer
import Testing

@Suite("Values")
struct ValueTests {
    @Test("header look-ups match names case-insensitively and combine repeated fields in order")
    func headerLookup() {
        let thing = HTTPField.Name("X-Thing")!
        var fields = HTTPFields()
        fields.append(HTTPField(name: thing, value: "one"))
        fields.append(HTTPField(name: HTTPField.Name("x-thing")!, value: "two"))
        fields.append(HTTPField(name: .accept, value: "*/*"))
        let request = HTTPRequest(method: .get, path: "/", headerFields: fields)
        let upper = HTTPField.Name("x-THING")!
        #expect(
            request.headerFields[upper] == "one, two",
            "expected the combined value 'one, two' (RFC 9110 5.3), got \(String(describing: request.headerFields[upper]))"
        )
        #expect(
            request.headerFields[values: thing] == ["one", "two"],
            "expected both values in order, got \(request.headerFields[values: thing])"
        )
        #expect(
            request.headerFields[.accept] == "*/*",
            "expected '*/*', got \(String(describing: request.headerFields[.accept]))"
        )
        let prefix = HTTPField.Name("X-Thin")!
        #expect(
            request.headerFields[prefix] == nil,
            "expected nil for a prefix, got \(String(describing: request.headerFields[prefix]))"
        )
    }

    @Test("rejections suggest 413 for an oversized body and 400 otherwise")
    func suggestedStatus() {
        let cases: [(HTTPRejection, HTTPStatus)] = [
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
