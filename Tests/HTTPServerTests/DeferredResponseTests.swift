import Dispatch
import Foundation
import HTTPServer
import HTTPTestClient
import Synchronization
import Testing

/// Deferred answers: the connection waits for the response, the worker thread does not.
@Suite("Deferred answers")
struct DeferredResponseTests {
    /// A server with one worker thread whose `/slow` answers after `delay` from another thread.
    func withDeferringServer(
        delay: Double,
        grace: Duration = .seconds(5),
        onDrainDeadline: (@Sendable () -> Void)? = nil,
        _ body: (HTTPServer) throws -> Void
    ) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 1
        let server = HTTPServer(
            configuration: configuration,
            respond: { request in
                switch request.path {
                case "/slow":
                    return .deferred { respond in
                        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                            respond(HTTPResponse(status: 200, body: Array("slow".utf8)))
                        }
                    }
                case "/now":
                    return .deferred { respond in respond(HTTPResponse(status: 200, body: Array("now".utf8))) }
                default:
                    return .response(HTTPResponse(status: 200, body: Array("fast".utf8)))
                }
            },
            rejectionHandler: { _ in HTTPResponse(status: 400) },
            onDrainDeadline: onDrainDeadline
        )
        try server.start()
        defer { server.shutdown(gracePeriod: grace) }
        try body(server)
    }

    @Test("a deferred request does not hold up other requests on the same worker thread")
    func othersAreServedMeanwhile() throws {
        try withDeferringServer(delay: 1) { server in
            let slow = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            try slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.1)
            let fast = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            for i in 0..<3 {
                let start = Date()
                try fast.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try fast.readResponse()
                let elapsed = Date().timeIntervalSince(start)
                #expect(
                    response.status == 200 && response.bodyText == "fast",
                    "keep-alive request \(i): \(response.status)"
                )
                #expect(elapsed < 0.5, "keep-alive request \(i) took \(elapsed) s while /slow was pending")
            }
            let answer = try slow.readResponse()
            #expect(
                answer.status == 200 && answer.bodyText == "slow",
                "deferred answer: \(answer.status) \(answer.bodyText)"
            )
        }
    }

    @Test("an answer given before the connection is suspended is still sent")
    func immediateAnswer() throws {
        try withDeferringServer(delay: 0) { server in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            for _ in 0..<20 {
                try client.send("GET /now HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200 && response.bodyText == "now")
            }
        }
    }

    @Test("a stop whose grace period ends first cuts deferred work short and still answers it")
    func stopAnswersDeferred() throws {
        let cancelled = Atomic<Bool>(false)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 1
        let server = HTTPServer(
            configuration: configuration,
            respond: { _ in
                .deferred { respond in
                    DispatchQueue.global().async {
                        while !cancelled.load(ordering: .acquiring) { usleep(1_000) }
                        respond(HTTPResponse(status: 503, body: Array("cancelled".utf8)))
                    }
                }
            },
            rejectionHandler: { _ in HTTPResponse(status: 400) },
            onDrainDeadline: { cancelled.store(true, ordering: .releasing) }
        )
        try server.start()
        let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
        try client.send("POST /run HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        let start = Date()
        server.shutdown(gracePeriod: .milliseconds(300))
        let stopped = Date().timeIntervalSince(start)
        let response = try client.readResponse()
        #expect(
            response.status == 503 && response.bodyText == "cancelled",
            "got \(response.status) \(response.bodyText)"
        )
        #expect(stopped < 3, "stopping took \(stopped) s with a 0.3 s grace period")
    }
}
