import Foundation
import HTTPServer
import HTTPTestClient
import Testing

/// Clients that ask for big answers and never read them: what the server holds for them is
/// bounded by the response memory budget; beyond it, big answers become 503.
@Suite("Slow readers")
struct SlowReaderTests {
    @Test("big answers past the budget become 503 while small ones still pass")
    func budget() throws {
        let big = [UInt8](repeating: 0x61, count: 16 * 1024 * 1024)
        let handler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
            request.path == "/big"
                ? HTTPResponse(status: 200, body: big) : HTTPResponse(status: 200, body: Array("ok".utf8))
        }
        let configure: (inout HTTPServerConfiguration) -> Void = { $0.responseMemoryBudgetBytes = 40 * 1024 * 1024 }
        try withServer(handler: handler, configure: configure) { server, recorder in
            var readers: [RawHTTPClient] = []
            var statuses: [Int] = []
            for _ in 0..<5 {
                let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
                try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
                // Read only the status line and headers; leave the body unread.
                let head = try client.readHead()
                statuses.append(head)
                readers.append(client)
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(
                statuses.prefix(2).allSatisfy { $0 == 200 },
                "the first two 16 MiB answers fit in 40 MiB: \(statuses)"
            )
            #expect(statuses.suffix(2).allSatisfy { $0 == 503 }, "later ones must be refused: \(statuses)")
            #expect(recorder.recordedRejections.contains(.responseMemoryExhausted(limit: 40 * 1024 * 1024)))
            let probe = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            try probe.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try probe.readResponse().status == 200, "a small answer must still pass")
            withExtendedLifetime(readers) {}
        }
    }

    @Test("bodies are sent from the handler's own array, byte for byte, and the ledger returns to zero")
    func heldBodies() throws {
        // One array shared by every answer (as the answer cache shares a stored body), one with
        // spare capacity, and an empty one.
        let shared = patternBytes(count: 300 * 1024 + 5)
        var roomy = patternBytes(count: 1000, seed: 7)
        roomy.reserveCapacity(64 * 1024)
        let bodies: [String: [UInt8]] = ["/shared": shared, "/roomy": roomy, "/empty": []]
        let handler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
            HTTPResponse(status: 200, body: bodies[request.path] ?? [])
        }
        let memory = ResponseMemory(budget: 64 * 1024 * 1024)
        let configure: (inout HTTPServerConfiguration) -> Void = { $0.responseMemory = memory }
        try withServer(handler: handler, configure: configure) { server, _ in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            for round in 0..<3 {
                for path in ["/shared", "/roomy", "/empty", "/shared"] {
                    try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                    let response = try client.readResponse()
                    #expect(response.status == 200, "round \(round) \(path): status \(response.status)")
                    #expect(
                        response.body == bodies[path],
                        "round \(round) \(path): \(response.body.count) bytes, expected \(bodies[path]?.count ?? 0)"
                    )
                }
            }
            client.close()
            for _ in 0..<200 where memory.bytesInUse != 0 { Thread.sleep(forTimeInterval: 0.01) }
            #expect(memory.bytesInUse == 0, "every body sent: \(memory.bytesInUse) bytes still counted")
        }
    }
}
