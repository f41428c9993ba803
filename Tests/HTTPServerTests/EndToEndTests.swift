import HTTPServer
import HTTPTestClient
import Synchronization
import Testing

@Suite("End to end")
struct EndToEndTests {
    @Test("GET: method, path, query and headers reach the handler")
    func getEcho() throws {
        try withServer { server, recorder in
            #expect(server.port > 0, "expected a bound port > 0, got \(server.port)")
            let client = try RawHTTPClient(port: server.port)
            try client.send(
                "GET /v1/schedules/a%20b?x=1&y=%2F&x=2 HTTP/1.1\r\n"
                    + "Host: localhost\r\n"
                    + "X-Custom: Hello World\r\n"
                    + "x-custom: second\r\n"
                    + "Accept: application/json\r\n"
                    + "\r\n"
            )
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(
                response.header("X-Echo-Method") == "GET",
                "expected X-Echo-Method GET, got \(String(describing: response.header("X-Echo-Method")))"
            )

            let requests = recorder.recordedRequests
            try #require(requests.count == 1, "expected 1 handled request, got \(requests.count)")
            let request = requests[0]
            #expect(request.method == .get, "expected method GET, got \(request.method)")
            #expect(request.path == "/v1/schedules/a%20b", "expected raw path /v1/schedules/a%20b, got \(request.path)")
            #expect(
                request.query == "x=1&y=%2F&x=2",
                "expected raw query x=1&y=%2F&x=2, got \(String(describing: request.query))"
            )
            #expect(request.body.isEmpty, "expected an empty body, got \(request.body.count) bytes")
            let names = request.headerFields.map(\.name.rawName)
            #expect(
                names == ["Host", "X-Custom", "x-custom", "Accept"],
                "expected headers in arrival order, got \(names)"
            )
            #expect(
                request.headerFields[values: HTTPField.Name("x-custom")!].first == "Hello World",
                "expected first X-Custom 'Hello World', got \(String(describing: request.headerFields[HTTPField.Name("x-custom")!]))"
            )
            #expect(
                request.headerFields[HTTPField.Name("Host")!] == "localhost",
                "expected Host localhost, got \(String(describing: request.headerFields[HTTPField.Name("Host")!]))"
            )
        }
    }

    @Test("a target without '?' has a nil query, '?' alone an empty one; a fragment is dropped")
    func queryPresence() throws {
        try withServer { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            try client.send(
                "GET /plain HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /empty? HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /frag?a=1#top HTTP/1.1\r\nHost: x\r\n\r\n"
            )
            _ = try client.readResponse()
            _ = try client.readResponse()
            _ = try client.readResponse()
            let requests = recorder.recordedRequests
            try #require(requests.count == 3, "expected 3 handled requests, got \(requests.count)")
            let byPath = Dictionary(uniqueKeysWithValues: requests.map { ($0.path, $0.query) })
            #expect(
                byPath["/plain"] == .some(nil),
                "expected nil query for /plain, got \(String(describing: byPath["/plain"]))"
            )
            #expect(
                byPath["/empty"] == .some(""),
                "expected empty query for /empty, got \(String(describing: byPath["/empty"]))"
            )
            #expect(
                byPath["/frag"] == .some("a=1"),
                "expected query a=1 for /frag#top, got \(String(describing: byPath["/frag"]))"
            )
        }
    }

    @Test("POST: a small body round-trips", arguments: [1, 2])
    func smallPostRoundTrip(threads: Int) throws {
        try withServer(threads: threads) { server, recorder in
            let body = Array(#"{"family":"step","params":{"step_size":3}}"#.utf8)
            let client = try RawHTTPClient(port: server.port)
            try client.send(
                Array(
                    "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                        .utf8
                )
                    + body
            )
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(response.body == body, "expected the body echoed (\(body.count) bytes), got '\(response.bodyText)'")
            let requests = recorder.recordedRequests
            #expect(
                requests.first?.body == body,
                "expected the handler to see \(body.count) body bytes, got \(requests.first?.body.count ?? -1)"
            )
            #expect(
                requests.first?.method == .post,
                "expected POST, got \(String(describing: requests.first?.method))"
            )
        }
    }

    @Test("POST: a ~900 KB body round-trips byte for byte")
    func largePostRoundTrip() throws {
        try withServer { server, _ in
            let body = patternBytes(count: 900 * 1024 + 7)
            let client = try RawHTTPClient(port: server.port)
            try client.send(Array("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(
                response.body.count == body.count,
                "expected \(body.count) echoed bytes, got \(response.body.count)"
            )
            #expect(
                response.body == body,
                "expected identical bytes; first difference at \(String(describing: zip(response.body, body).enumerated().first { $0.element.0 != $0.element.1 }?.offset))"
            )
        }
    }

    @Test("a body exactly at the limit is accepted")
    func bodyAtLimit() throws {
        try withServer(maxBodyBytes: 1024) { server, recorder in
            let body = patternBytes(count: 1024)
            let client = try RawHTTPClient(port: server.port)
            try client.send(Array("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n".utf8) + body)
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(response.body == body, "expected 1024 echoed bytes, got \(response.body.count)")
            #expect(recorder.recordedRejections.isEmpty, "expected no rejection, got \(recorder.recordedRejections)")
        }
    }

    @Test("a chunked body within the limit is assembled")
    func chunkedWithinLimit() throws {
        try withServer(maxBodyBytes: 4096) { server, recorder in
            let body = patternBytes(count: 3000)
            let client = try RawHTTPClient(port: server.port)
            try client.send(
                Array("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                    + chunkedEncoding(body, chunkSize: 700)
            )
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(response.body == body, "expected 3000 echoed bytes, got \(response.body.count)")
            #expect(
                recorder.recordedRequests.first?.body == body,
                "expected the handler to see 3000 bytes, got \(recorder.recordedRequests.first?.body.count ?? -1)"
            )
        }
    }

    @Test("keep-alive: two requests on one connection")
    func keepAlive() throws {
        try withServer { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            try client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = try client.readResponse()
            try client.send("POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            let second = try client.readResponse()
            #expect(first.status == 200, "expected first status 200, got \(first.status)")
            #expect(first.bodyText == "GET /first <none>", "expected 'GET /first <none>', got '\(first.bodyText)'")
            #expect(second.status == 200, "expected second status 200, got \(second.status)")
            #expect(second.bodyText == "hello", "expected 'hello', got '\(second.bodyText)'")
            let paths = recorder.recordedRequests.map(\.path)
            #expect(paths == ["/first", "/second"], "expected [/first, /second], got \(paths)")
        }
    }

    @Test("a multi-megabyte response is sent in full")
    func largeResponse() throws {
        let payload = patternBytes(count: 5 * 1024 * 1024 + 3, seed: 42)
        let handler: @Sendable (HTTPRequest) -> HTTPResponse = { _ in HTTPResponse(status: 200, body: payload) }
        try withServer(handler: handler) { server, _ in
            let client = try RawHTTPClient(port: server.port)
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(response.body.count == payload.count, "expected \(payload.count) bytes, got \(response.body.count)")
            #expect(response.body == payload, "expected identical response bytes")
        }
    }

    @Test("handler status and headers are sent; unsafe headers and invalid statuses are not")
    func responseSanitizing() throws {
        let handler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
            if request.path == "/bad-status" { return HTTPResponse(status: 42, body: Array("x".utf8)) }
            // A name with a space cannot be built (`HTTPField.Name("Bad Name")` is nil); a value's
            // CR and LF become spaces.
            return HTTPResponse(
                status: 201,
                headerFields: [
                    HTTPField.Name("X-Good")!: "yes",
                    HTTPField.Name("X-Injected")!: "a\r\nX-Evil: 1",
                    .contentLength: "999",
                ],
                body: Array("created".utf8)
            )
        }
        try withServer(handler: handler) { server, _ in
            let client = try RawHTTPClient(port: server.port)
            try client.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
            let ok = try client.readResponse()
            #expect(ok.status == 201, "expected status 201, got \(ok.status)")
            #expect(ok.header("X-Good") == "yes", "expected X-Good yes, got \(String(describing: ok.header("X-Good")))")
            #expect(
                ok.header("X-Evil") == nil && ok.header("X-Injected") == "a  X-Evil: 1",
                "expected no injected header, got \(ok.headers)"
            )
            #expect(
                ok.header("Content-Length") == "7",
                "expected Content-Length 7, got \(String(describing: ok.header("Content-Length")))"
            )
            #expect(ok.bodyText == "created", "expected body 'created', got '\(ok.bodyText)'")

            try client.send("GET /bad-status HTTP/1.1\r\nHost: x\r\n\r\n")
            let bad = try client.readResponse()
            #expect(bad.status == 500, "expected status 500 for handler status 42, got \(bad.status)")
        }
    }

    @Test("an aborted upload frees its request state without calling the handler")
    func abortedUpload() throws {
        try withServer { server, recorder in
            do {
                let client = try RawHTTPClient(port: server.port)
                try client.send("POST /abort HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789")
                #expect(
                    eventually { server.activeRequestCount == 1 },
                    "expected 1 active request while uploading, got \(server.activeRequestCount)"
                )
                client.close()
            }
            #expect(
                eventually { server.activeRequestCount == 0 },
                "expected 0 active requests after the abort, got \(server.activeRequestCount)"
            )
            #expect(
                eventually { server.connectionCount == 0 },
                "expected 0 connections after the abort, got \(server.connectionCount)"
            )
            #expect(
                recorder.recordedRequests.isEmpty,
                "expected the handler not to run, got \(recorder.recordedRequests.count) calls"
            )
        }
    }

    @Test("Expect: 100-continue within the limit gets 100, then the final reply")
    func expectContinue() throws {
        try withServer(maxBodyBytes: 1024) { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            try client.send("PUT /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try client.readResponse(keepInterim: true)
            #expect(interim.status == 100, "expected 100 Continue, got \(interim.status)")
            try client.send("hello")
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(response.bodyText == "hello", "expected 'hello', got '\(response.bodyText)'")
            #expect(
                recorder.recordedRequests.count == 1,
                "expected 1 handled request, got \(recorder.recordedRequests.count)"
            )
        }
    }

    @Test("headers larger than the connection memory limit are refused and their state freed")
    func oversizedHeaders() throws {
        try withServer { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            let filler = String(repeating: "a", count: 100 * 1024)
            try? client.send("GET /big-head HTTP/1.1\r\nHost: x\r\nX-Filler: \(filler)\r\n\r\n")
            let response = try? client.readResponse()
            #expect(
                response == nil || (400..<500).contains(response!.status),
                "expected no reply or a 4xx, got \(String(describing: response?.status))"
            )
            #expect(
                recorder.recordedRequests.isEmpty,
                "expected the handler not to run, got \(recorder.recordedRequests.count) calls"
            )
            #expect(
                eventually { server.activeRequestCount == 0 },
                "expected 0 active requests, got \(server.activeRequestCount)"
            )
        }
    }

    @Test("concurrent clients each get their own replies")
    func concurrentClients() throws {
        try withServer(threads: 2) { server, recorder in
            let port = server.port
            let failures = Locked<[String]>([])
            let done = Locked<Int>(0)
            let clients = 8
            let requestsPerClient = 25
            for c in 0..<clients {
                runOnThread {
                    do {
                        let client = try RawHTTPClient(port: port)
                        for r in 0..<requestsPerClient {
                            let body = patternBytes(count: 100 + 37 * r, seed: UInt64(c * 1000 + r))
                            try client.send(
                                Array(
                                    "POST /c\(c)/r\(r) HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n"
                                        .utf8
                                ) + body
                            )
                            let response = try client.readResponse()
                            if response.status != 200 || response.body != body {
                                failures.withLock {
                                    $0.append(
                                        "client \(c) request \(r): status \(response.status), \(response.body.count) of \(body.count) bytes"
                                    )
                                }
                            }
                        }
                    } catch {
                        failures.withLock { $0.append("client \(c): \(error)") }
                    }
                    done.withLock { $0 += 1 }
                }
            }
            #expect(
                eventually(timeout: .seconds(60)) { done.withLock { $0 } == clients },
                "expected \(clients) clients to finish within 60 s, \(done.withLock { $0 }) did"
            )
            let problems = failures.withLock { $0 }
            #expect(problems.isEmpty, "expected no failures, got \(problems)")
            let handled = recorder.recordedRequests.count
            #expect(
                handled == clients * requestsPerClient,
                "expected \(clients * requestsPerClient) handled requests, got \(handled)"
            )
        }
    }

    @Test("the server also listens on IPv6 loopback")
    func ipv6Loopback() throws {
        try withServer(host: "::1") { server, recorder in
            let client = try RawHTTPClient(host: "::1", port: server.port)
            try client.send("GET /six HTTP/1.1\r\nHost: [::1]\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200, got \(response.status)")
            #expect(
                recorder.recordedRequests.first?.path == "/six",
                "expected path /six, got \(String(describing: recorder.recordedRequests.first?.path))"
            )
        }
    }
}
