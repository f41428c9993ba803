import Foundation
import HTTPServer
import HTTPTestClient
import Testing

/// `Accept-Encoding: gzip`: long answers are compressed, short ones and refusals are not.
@Suite("gzip answers")
struct CompressionTests {
    @Test(
        "Accept-Encoding parsing",
        arguments: [
            ("gzip", true), ("deflate, gzip;q=0.5", true), ("x-gzip", true), ("*", true), ("GZIP ; q=1", true),
            ("gzip;q=0", false), ("gzip; q=0.0", false), ("identity", false), ("", false), ("br, deflate", false),
        ]
    )
    func parsing(_ value: String, _ expected: Bool) {
        let request = HTTPRequest(method: .get, path: "/", headerFields: [.acceptEncoding: value])
        #expect(request.acceptsGzip == expected, "Accept-Encoding: \(value)")
    }

    @Test("a long answer is gzip-compressed and decompresses to the same bytes")
    func compressed() throws {
        let text = (0..<20_000).map { "\(Double($0) * 0.001)" }.joined(separator: ",")
        let body = Array(text.utf8)
        let handler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
            HTTPResponse(status: 200, body: request.path == "/short" ? Array("ok".utf8) : body)
        }
        try withServer(handler: handler) { server, _ in
            let client = try RawHTTPClient(port: server.port)
            try client.send("GET /long HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(response.body.starts(with: [0x1F, 0x8B]), "a gzip stream starts with 1f 8b")
            #expect(response.body.count * 2 < body.count, "\(response.body.count) compressed bytes for \(body.count)")
            #expect(try gunzip(response.body) == body, "the decompressed answer differs")

            try client.send("GET /short HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
            let short = try client.readResponse()
            #expect(short.header("Content-Encoding") == nil && short.bodyText == "ok", "short answers go as they are")

            try client.send("GET /long HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0\r\n\r\n")
            let refused = try client.readResponse()
            #expect(refused.header("Content-Encoding") == nil && refused.body == body, "q=0 refuses gzip")
        }
    }

    /// Decompresses with the system's `gzip`.
    func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lrsched-\(UUID().uuidString).gz")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}
