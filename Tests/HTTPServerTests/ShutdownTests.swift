import HTTPServer
import HTTPTestClient
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite("Lifecycle")
struct ShutdownTests {
    @Test("graceful shutdown lets an in-flight slow request finish, then refuses connections")
    func gracefulShutdown() throws {
        let entered = Signal()
        let handler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
            if request.path == "/slow" {
                entered.fire()
                usleep(300_000)
                return HTTPResponse(status: 200, body: Array("slow done".utf8))
            }
            return HTTPResponse(status: 200, body: Array("fast".utf8))
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        let server = HTTPServer(
            configuration: configuration,
            handler: handler,
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        try server.start()
        let port = server.port
        let stopped = Signal()
        do {
            let client = try RawHTTPClient(port: port)
            try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            try #require(entered.wait(timeout: .seconds(10)), "expected the slow handler to start within 10 s")

            runOnThread {
                server.shutdown(gracePeriod: .seconds(10))
                stopped.fire()
            }

            let response = try client.readResponse()
            #expect(response.status == 200, "expected status 200 for the in-flight request, got \(response.status)")
            #expect(response.bodyText == "slow done", "expected 'slow done', got '\(response.bodyText)'")
        }
        #expect(stopped.wait(timeout: .seconds(15)), "expected shutdown to return within 15 s")
        let code = RawHTTPClient.connectionErrno(port: port)
        #expect(code == ECONNREFUSED, "expected ECONNREFUSED (\(ECONNREFUSED)) after shutdown, got errno \(code)")
        server.shutdown()
    }

    @Test("while draining, new connections are refused and replies carry Connection: close")
    func drainingBehaviour() throws {
        let entered = Signal()
        let portBox = Locked<Int>(0)
        let handler: @Sendable (HTTPRequest) -> HTTPResponse = { _ in
            entered.fire()
            let port = portBox.withLock { $0 }
            // Finish only once the listener refuses connections, i.e. the drain has begun.
            let refused = eventually { RawHTTPClient.connectionErrno(port: port) == ECONNREFUSED }
            return HTTPResponse(status: 200, body: Array((refused ? "refused" : "still accepting").utf8))
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(
            configuration: configuration,
            handler: handler,
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        try server.start()
        portBox.withLock { $0 = server.port }
        let stopped = Signal()
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /drain HTTP/1.1\r\nHost: x\r\n\r\n")
        try #require(entered.wait(timeout: .seconds(10)), "expected the handler to start within 10 s")
        runOnThread {
            server.shutdown(gracePeriod: .seconds(20))
            stopped.fire()
        }
        let response = try client.readResponse()
        #expect(response.status == 200, "expected status 200, got \(response.status)")
        #expect(
            response.bodyText == "refused",
            "expected new connections to be refused during the drain, got '\(response.bodyText)'"
        )
        #expect(
            response.header("Connection")?.lowercased() == "close",
            "expected Connection: close while draining, got \(String(describing: response.header("Connection")))"
        )
        #expect(stopped.wait(timeout: .seconds(15)), "expected shutdown to return within 15 s")
    }

    @Test("idle keep-alive connections do not hold up shutdown")
    func idleConnectionsDoNotDelayShutdown() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(
            configuration: configuration,
            handler: { _ in HTTPResponse(status: 204) },
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        try server.start()
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 204, "expected status 204, got \(response.status)")

        let started = ContinuousClock.now
        server.shutdown(gracePeriod: .seconds(60))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(30), "expected shutdown well before the 60 s grace period, took \(elapsed)")
        #expect(try client.isClosedByPeer(), "expected the idle connection to be closed by the server")
    }

    @Test("shutdown is idempotent, also before start; a shut-down server cannot start")
    func idempotentShutdown() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let never = HTTPServer(
            configuration: configuration,
            handler: { _ in HTTPResponse(status: 200) },
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        never.shutdown()
        never.shutdown()
        #expect(throws: HTTPServerError.self) { try never.start() }

        let server = HTTPServer(
            configuration: configuration,
            handler: { _ in HTTPResponse(status: 200) },
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        try server.start()
        #expect(throws: HTTPServerError.self) { try server.start() }
        server.shutdown(gracePeriod: .zero)
        server.shutdown(gracePeriod: .zero)
        #expect(server.connectionCount == 0, "expected 0 connections after shutdown, got \(server.connectionCount)")
    }

    @Test("shutdown called from inside a handler does not deadlock")
    func shutdownFromHandler() throws {
        let box = ServerBox()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(
            configuration: configuration,
            handler: { _ in
                box.server?.shutdown(gracePeriod: .seconds(5))
                return HTTPResponse(status: 200, body: Array("bye".utf8))
            },
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        box.server = server
        try server.start()
        let port = server.port
        let client = try RawHTTPClient(port: port)
        try client.send("GET /stop HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200, "expected status 200, got \(response.status)")
        #expect(response.bodyText == "bye", "expected 'bye', got '\(response.bodyText)'")
        #expect(
            eventually { RawHTTPClient.connectionErrno(port: port) == ECONNREFUSED },
            "expected connections to be refused once the background shutdown ran"
        )
        box.server = nil
        server.shutdown()
    }

    @Test("a port in use is reported with the port and reason")
    func portInUse() throws {
        try withServer { server, _ in
            var configuration = HTTPServerConfiguration()
            configuration.port = server.port
            let second = HTTPServer(
                configuration: configuration,
                handler: { _ in HTTPResponse(status: 200) },
                rejectionHandler: { _ in HTTPResponse(status: 400) }
            )
            defer { second.shutdown() }
            do {
                try second.start()
                Issue.record("expected start() to fail on port \(server.port), it succeeded")
            } catch let error as HTTPServerError {
                guard case .cannotStart(let reason) = error else {
                    Issue.record("expected cannotStart, got \(error)")
                    return
                }
                #expect(
                    reason.contains(String(server.port)),
                    "expected the reason to name port \(server.port), got '\(reason)'"
                )
                #expect(reason.lowercased().contains("in use"), "expected the reason to say 'in use', got '\(reason)'")
            }
        }
    }

    @Test("a host that is not an address literal is reported")
    func badHost() throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "no-such-host.invalid"
        configuration.port = 0
        let server = HTTPServer(
            configuration: configuration,
            handler: { _ in HTTPResponse(status: 200) },
            rejectionHandler: { _ in HTTPResponse(status: 400) }
        )
        defer { server.shutdown() }
        do {
            try server.start()
            Issue.record("expected start() to fail for host no-such-host.invalid, it succeeded")
        } catch let error as HTTPServerError {
            #expect(
                error == .cannotStart("invalid host 'no-such-host.invalid': expected an IPv4 or IPv6 address literal"),
                "expected cannotStart(invalid host ...), got \(error)"
            )
        }
    }
}

/// Lets a handler reach the server that runs it.
final class ServerBox: Sendable {
    private let stored = Locked<HTTPServer?>(nil)
    var server: HTTPServer? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
