import Foundation
import HTTPServer
import HTTPTestClient
import Testing

/// Slow and hoarding clients (all on loopback, bounded in count and time): a head trickled byte by
/// byte, a body sent too slowly, and many connections from one address.
@Suite("Slow clients")
struct SlowClientTests {
    /// Sends `first`, then one byte of `trickle` every `every`, until the server closes the
    /// connection or `limit` passes; returns the seconds until the close, or nil.
    func secondsUntilClosed(
        _ client: RawHTTPClient,
        first: String,
        trickle: String,
        every: Double,
        limit: Double
    )
        throws -> Double?
    {
        let start = Date()
        try client.send(first)
        for byte in trickle.utf8.prefix(Int(limit / every) + 1) {
            Thread.sleep(forTimeInterval: every)
            do { try client.send([byte]) } catch { return Date().timeIntervalSince(start) }
            if Date().timeIntervalSince(start) > limit { break }
        }
        return (try? client.isClosedByPeer()) == true ? Date().timeIntervalSince(start) : nil
    }

    @Test("a head trickled one byte at a time is cut at the head deadline")
    func headDeadline() throws {
        let configure: (inout HTTPServerConfiguration) -> Void = { $0.requestHeadTimeoutSeconds = 1 }
        try withServer(configure: configure) { server, recorder in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 3)
            let closedAfter = try secondsUntilClosed(
                client,
                first: "GET /slow HTTP/1.1\r\nHost: x\r\n",
                trickle: String(repeating: "X", count: 40),
                every: 0.2,
                limit: 3
            )
            let seconds = try #require(closedAfter, "the connection was still open after 3 s of trickling")
            #expect(seconds < 2, "closed after \(seconds) s; the deadline is 1 s")
            #expect(recorder.recordedRequests.isEmpty)
            #expect(server.connectionsEndedForSlowness >= 1)
        }
    }

    @Test("a body below the minimum rate is cut after the grace period")
    func bodyRate() throws {
        let configure: (inout HTTPServerConfiguration) -> Void = {
            $0.minimumBodyBytesPerSecond = 1000
            $0.bodyGraceSeconds = 0.5
        }
        try withServer(configure: configure) { server, recorder in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 3)
            let closedAfter = try secondsUntilClosed(
                client,
                first: "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n",
                trickle: String(repeating: "0123456789", count: 10),
                every: 0.2,
                limit: 3
            )
            let seconds = try #require(closedAfter, "the connection was still open after 3 s at 5 bytes/s")
            #expect(seconds < 2, "closed after \(seconds) s; grace 0.5 s, then 1000 bytes/s")
            #expect(recorder.recordedRequests.isEmpty)
        }
    }

    @Test("many connections from one address cannot starve another address")
    func perAddressLimit() throws {
        let configure: (inout HTTPServerConfiguration) -> Void = { $0.perAddressConnectionLimit = 8 }
        try withServer(configure: configure) { server, _ in
            var hoard: [RawHTTPClient] = []
            for _ in 0..<40 {
                guard let client = try? RawHTTPClient(port: server.port, timeoutSeconds: 2, source: "127.0.0.2") else {
                    continue
                }
                try? client.send("GET /hold HTTP/1.1\r\nHo")
                hoard.append(client)
            }
            Thread.sleep(forTimeInterval: 0.2)
            let held = server.connectionCount
            #expect(held <= 8, "127.0.0.2 holds \(held) connections; the limit is 8")
            let start = Date()
            let probe = try RawHTTPClient(port: server.port, timeoutSeconds: 2)
            try probe.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try probe.readResponse()
            let elapsed = Date().timeIntervalSince(start)
            #expect(response.status == 200, "probe from 127.0.0.1: status \(response.status)")
            #expect(elapsed < 0.5, "probe took \(elapsed) s while 127.0.0.2 hoarded connections")
            withExtendedLifetime(hoard) {}
        }
    }

    @Test("when connection slots run short, slow heads are cut after the short deadline")
    func pressure() throws {
        let configure: (inout HTTPServerConfiguration) -> Void = {
            $0.connectionLimit = 20
            $0.requestHeadTimeoutSeconds = 30
        }
        try withServer(configure: configure) { server, _ in
            var hoard: [RawHTTPClient] = []
            for i in 0..<18 {
                let client = try RawHTTPClient(port: server.port, timeoutSeconds: 3, source: "127.0.0.\(2 + i % 6)")
                try client.send("GET /hold HTTP/1.1\r\nHo")
                hoard.append(client)
            }
            let start = Date()
            let closed = try #require(hoard.first).isClosedByPeer()
            let seconds = Date().timeIntervalSince(start)
            #expect(closed, "a slow head must be cut while 18 of 20 slots are taken")
            #expect(seconds < 2.5, "cut after \(seconds) s; the deadline under pressure is 1 s, 30 s otherwise")
        }
    }
}
