import HTTPServer
import HTTPTestClient
import Testing

/// Request heads that libmicrohttpd 0.9.75 accepts but other HTTP parsers read differently: each
/// must get exactly one 400 reply from the rejection handler, never reach the request handler,
/// and close the connection, so that nothing after it can run as a second request.
@Suite("Request smuggling: raw bytes in, the whole reply out")
struct SmugglingTests {
    static let followUp = "GET /second HTTP/1.1\r\nHost: x\r\n\r\n"

    static let cases: [(name: String, head: String, rejection: HTTPRejection)] = [
        (
            "space before the colon of Content-Length",
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length : 35\r\n\r\n" + followUp,
            .invalidHeaderName("Content-Length ")
        ),
        (
            "space before the colon of Transfer-Encoding",
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\nhello",
            .invalidHeaderName("Transfer-Encoding ")
        ),
        (
            "a bare LF ends the request line and the headers",
            "GET /a HTTP/1.1\nHost: x\n\n" + followUp,
            .malformedLine
        ),
        ("HTTP/1.1 without Host", "GET /a HTTP/1.1\r\n\r\n" + followUp, .missingHost),
        ("two Host headers", "GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + followUp, .duplicateHost),
        (
            "a space inside a header name", "GET /a HTTP/1.1\r\nHost: x\r\nX Y: z\r\n\r\n" + followUp,
            .invalidHeaderName("X Y")
        ),
        ("a NUL inside a header value", "GET /a HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n" + followUp, .malformedLine),
        ("a NUL after the method", "GET\0 /a HTTP/1.1\r\nHost: x\r\n\r\n" + followUp, .malformedLine),
        (
            "Transfer-Encoding in HTTP/1.0",
            "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            .transferEncodingInHTTP10
        ),
        ("two spaces after the method", "GET  /a HTTP/1.1\r\nHost: x\r\n\r\n" + followUp, .malformedLine),
        (
            "a control character in a value", "GET /a HTTP/1.1\r\nHost: x\r\nX: a\u{7F}b\r\n\r\n" + followUp,
            .invalidHeaderValue(name: "X")
        ),
    ]

    @Test("refused with one 400 and a closed connection", arguments: cases.map(\.name))
    func refused(_ name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        try withServer { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            try client.send(Array(c.head.utf8))
            let reply = try client.readToEnd()
            let text = String(decoding: reply, as: UTF8.self)
            let statusLines = text.split(separator: "HTTP/1.", omittingEmptySubsequences: false).count - 1
            #expect(
                statusLines == 1,
                "\(name): expected exactly one status line, got \(statusLines) in \(text.debugDescription)"
            )
            #expect(text.hasPrefix("HTTP/1.1 400 "), "\(name): expected 400, got \(text.prefix(40).debugDescription)")
            #expect(text.contains("application/problem+json"), "\(name): expected the rejection handler's problem+json")
            #expect(
                recorder.recordedRequests.isEmpty,
                "\(name): the handler ran for \(recorder.recordedRequests.map(\.path))"
            )
            #expect(recorder.recordedRejections == [c.rejection], "\(name): rejections \(recorder.recordedRejections)")
        }
    }

    @Test("well-formed heads still pass: trailing spaces, empty values, HTTP/1.0, keep-alive")
    func wellFormedHeadsPass() throws {
        try withServer { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            try client.send(
                "GET /a HTTP/1.1\r\nHost: x   \r\nX-Tab: b\t\r\nX-Empty:\r\n\r\nGET /b?q=1 HTTP/1.0\r\n\r\n"
            )
            let first = try client.readResponse()
            let second = try client.readResponse()
            #expect(first.status == 200 && second.status == 200, "statuses \(first.status), \(second.status)")
            #expect(
                recorder.recordedRequests.map(\.path) == ["/a", "/b"],
                "paths \(recorder.recordedRequests.map(\.path))"
            )
            #expect(recorder.recordedRequests.map(\.version) == ["HTTP/1.1", "HTTP/1.0"])
            #expect(recorder.recordedRejections.isEmpty, "rejections \(recorder.recordedRejections)")
        }
    }
}

@Suite("Head checks without a socket")
struct HeadCheckTests {
    /// A head as raw strings: the check runs before any typed value could be built.
    struct Head: Sendable, CustomStringConvertible {
        var method = "GET"
        var version = "HTTP/1.1"
        var headers: [(String, String)] = []
        var description: String { "\(method) \(version) \(headers)" }

        func rejection(maxBodyBytes: Int = .max) -> HTTPRejection? {
            HTTPHeadCheck.rejection(
                method: Array(method.utf8),
                version: Array(version.utf8),
                headers: headers.map { (Array($0.0.utf8), Array($0.1.utf8)) },
                maxBodyBytes: maxBodyBytes
            )
        }
    }

    @Test(
        "token and field-value rules",
        arguments: [
            (Head(headers: [("Host", "x")]), nil as HTTPRejection?),
            (Head(version: "HTTP/1.0"), nil),
            (Head(method: "G(T", headers: [("Host", "x")]), .invalidMethod("G(T")),
            (Head(headers: [("Host", "x"), ("A:B", "c")]), .invalidHeaderName("A:B")),
            (Head(headers: [("Host", "x\r\nY: z")]), .invalidHeaderValue(name: "Host")),
            (Head(headers: [("host", "a"), ("HOST", "b")]), .duplicateHost),
            (Head(), .missingHost),
            (
                Head(method: "POST", version: "HTTP/1.0", headers: [("Transfer-Encoding", "chunked")]),
                .transferEncodingInHTTP10
            ),
        ]
    )
    func rules(_ head: Head, _ expected: HTTPRejection?) {
        let found = head.rejection()
        #expect(
            found == expected,
            "\(head): expected \(String(describing: expected)), got \(String(describing: found))"
        )
    }

    @Test("methods and header names are tokens: every byte against RFC 9110's tchar")
    func tokenBytes() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        let host = (Array("Host".utf8), Array("x".utf8))
        let version = Array("HTTP/1.1".utf8)
        for byte in UInt8.min...UInt8.max {
            let expected = tchar.contains(byte)
            // Bytes, not strings: 128...255 are not UTF-8 on their own.
            let method = HTTPHeadCheck.rejection(
                method: [UInt8(ascii: "G"), byte],
                version: version,
                headers: [host],
                maxBodyBytes: .max
            )
            let name = HTTPHeadCheck.rejection(
                method: Array("GET".utf8),
                version: version,
                headers: [host, ([UInt8(ascii: "X"), byte], Array("y".utf8))],
                maxBodyBytes: .max
            )
            #expect(
                (method == nil) == expected,
                "method byte \(byte): tchar \(expected), rejection \(String(describing: method))"
            )
            #expect(
                (name == nil) == expected,
                "header name byte \(byte): tchar \(expected), rejection \(String(describing: name))"
            )
        }
    }

    @Test(
        "Content-Length and Transfer-Encoding rules",
        arguments: [
            ([("Content-Length", "10")], nil as HTTPRejection?),
            ([("Content-Length", "10"), ("content-length", "10")], .duplicateContentLength),
            ([("Content-Length", "10"), ("Transfer-Encoding", "chunked")], .transferEncodingWithContentLength),
            ([("Transfer-Encoding", "CHUNKED")], nil),
            ([("Transfer-Encoding", "gzip, chunked")], .unsupportedTransferEncoding("gzip, chunked")),
            (
                [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")],
                .unsupportedTransferEncoding("chunked")
            ),
            ([("Content-Length", "+5")], .invalidContentLength("+5")),
            ([("Content-Length", "")], .invalidContentLength("")),
            ([("Content-Length", "1025")], .bodyTooLarge(limit: 1024)),
            ([("Content-Length", "99999999999999999999999")], .bodyTooLarge(limit: 1024)),
        ]
    )
    func framing(_ headers: [(String, String)], _ expected: HTTPRejection?) {
        let found = Head(method: "POST", headers: [("Host", "x")] + headers).rejection(maxBodyBytes: 1024)
        #expect(
            found == expected,
            "\(headers): expected \(String(describing: expected)), got \(String(describing: found))"
        )
    }
}
