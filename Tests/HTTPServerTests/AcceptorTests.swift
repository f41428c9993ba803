import HTTPServer
import HTTPTestClient
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite("Accepting")
struct AcceptorTests {
    /// Answers with the identity of the worker thread that ran the handler.
    private static let whichWorker: @Sendable (HTTPRequest) -> HTTPResponse = { _ in
        HTTPResponse(status: 200, body: Array(String(UInt(bitPattern: Int(pthread_self()))).utf8))
    }

    /// Opens a keep-alive connection, asks once and returns it with the worker that answered.
    private static func connect(port: Int) throws -> (client: RawHTTPClient, worker: String) {
        let client = try RawHTTPClient(port: port)
        try client.send("GET /worker HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200, "GET /worker: status \(response.status)")
        return (client, response.bodyText)
    }

    @Test(
        "connections opened one after another are spread evenly over the workers",
        arguments: [2, 3]
    )
    func spread(workers: Int) throws {
        // The clients' descriptors are in this process too, interleaved with the server's: the
        // acceptor must place each connection whatever number it got.
        try withServer(threads: workers, handler: Self.whichWorker) { server, _ in
            var clients: [RawHTTPClient] = []
            var perWorker: [String: Int] = [:]
            for _ in 0..<(8 * workers) {
                let (client, worker) = try Self.connect(port: server.port)
                clients.append(client)
                perWorker[worker, default: 0] += 1
            }
            let counts = perWorker.values.sorted()
            #expect(perWorker.count == workers, "\(perWorker.count) workers answered, of \(workers): \(counts)")
            #expect(
                (counts.last ?? 0) - (counts.first ?? 0) <= 1,
                "connections per worker \(counts): more than one apart"
            )
            withExtendedLifetime(clients) {}
        }
    }

    @Test("new connections go to the worker whose connections closed")
    func refill() throws {
        try withServer(threads: 2, handler: Self.whichWorker) { server, _ in
            var open: [(client: RawHTTPClient, worker: String)] = []
            for _ in 0..<12 { open.append(try Self.connect(port: server.port)) }
            let emptied = try #require(open.first?.worker)
            for entry in open where entry.worker == emptied { entry.client.close() }
            open.removeAll { $0.worker == emptied }
            #expect(open.count == 6, "after closing one worker's connections, \(open.count) remain; expected 6")
            // The daemon notices the closes on its own schedule.
            let deadline = ContinuousClock.now + .seconds(5)
            while server.connectionCount > open.count, ContinuousClock.now < deadline { usleep(5_000) }
            for index in 0..<6 {
                let entry = try Self.connect(port: server.port)
                #expect(entry.worker == emptied, "connection \(index) after the closes went to the fuller worker")
                open.append(entry)
            }
            withExtendedLifetime(open.map(\.client)) {}
        }
    }
}
