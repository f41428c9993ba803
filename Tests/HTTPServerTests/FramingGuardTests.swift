import HTTPServer
import HTTPTestClient
import Testing

@Suite("Framing guards and limits")
struct FramingGuardTests {
    /// Sends `head` (+ `body`) and returns the reply together with what reached the handlers.
    private func exchange(
        maxBodyBytes: Int = 1024,
        _ head: String,
        body: [UInt8] = [],
        expectClose: Bool = true
    ) throws -> (response: RawResponse, requests: [HTTPRequest], rejections: [HTTPRejection], closed: Bool) {
        var result: (RawResponse, [HTTPRequest], [HTTPRejection], Bool)?
        try withServer(maxBodyBytes: maxBodyBytes) { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            try client.send(Array(head.utf8) + body)
            let response = try client.readResponse()
            let closed = expectClose ? try client.isClosedByPeer() : false
            result = (response, recorder.recordedRequests, recorder.recordedRejections, closed)
        }
        return try #require(result)
    }

    @Test("Content-Length over the limit: 413 from the rejection handler, handler not called")
    func contentLengthOverLimit() throws {
        let (response, requests, rejections, closed) = try exchange(
            "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n",
            body: patternBytes(count: 2048)
        )
        #expect(response.status == 413, "expected status 413, got \(response.status)")
        #expect(
            response.header("Content-Type") == "application/problem+json",
            "expected the rejection handler's Content-Type, got \(String(describing: response.header("Content-Type")))"
        )
        #expect(
            response.bodyText.contains("bodyTooLarge(limit: 1024)"),
            "expected the rejection handler's body, got '\(response.bodyText)'"
        )
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
        #expect(rejections == [.bodyTooLarge(limit: 1024)], "expected [bodyTooLarge(limit: 1024)], got \(rejections)")
        #expect(closed, "expected the connection to be closed after a rejection")
    }

    @Test("Content-Length over the limit with Expect: 100-continue gets 413 instead of 100")
    func expectContinueOverLimit() throws {
        try withServer(maxBodyBytes: 1024) { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            try client.send("PUT /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
            let response = try client.readResponse(keepInterim: true)
            #expect(response.status == 413, "expected 413 before any body was sent, got \(response.status)")
            #expect(
                recorder.recordedRequests.isEmpty,
                "expected the handler not to run, got \(recorder.recordedRequests.count) calls"
            )
        }
    }

    @Test("a Content-Length too big for 64 bits gets 413 without reaching the handler")
    func hugeContentLength() throws {
        let (response, requests, rejections, _) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"
        )
        #expect(response.status == 413, "expected status 413, got \(response.status)")
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
        // libmicrohttpd answers this one itself, before any callback sees it.
        #expect(
            rejections.isEmpty || rejections == [.bodyTooLarge(limit: 1024)],
            "expected no rejection or [bodyTooLarge(limit: 1024)], got \(rejections)"
        )
    }

    @Test("Transfer-Encoding with trailing whitespace is refused (libmicrohttpd would not decode it)")
    func transferEncodingTrailingSpace() throws {
        let (response, requests, rejections, _) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked \r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        )
        #expect(response.status == 400, "expected status 400, got \(response.status)")
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
        #expect(
            rejections == [.unsupportedTransferEncoding("chunked ")],
            "expected [unsupportedTransferEncoding(\"chunked \")], got \(rejections)"
        )
    }

    @Test("a chunked body over the limit gets 413 and never reaches the handler")
    func chunkedOverLimit() throws {
        let (response, requests, rejections, closed) = try exchange(
            "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
            body: chunkedEncoding(patternBytes(count: 3000), chunkSize: 500)
        )
        #expect(response.status == 413, "expected status 413, got \(response.status)")
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
        #expect(rejections == [.bodyTooLarge(limit: 1024)], "expected [bodyTooLarge(limit: 1024)], got \(rejections)")
        #expect(closed, "expected the connection to be closed after a rejection")
    }

    @Test("a chunked body far over the limit is cut off without reaching the handler")
    func chunkedFarOverLimit() throws {
        try withServer(maxBodyBytes: 1024) { server, recorder in
            let client = try RawHTTPClient(port: server.port)
            // The server stops reading partway, so the send itself may fail.
            try? client.send(
                Array("POST /flood HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                    + chunkedEncoding(patternBytes(count: 1_000_000), chunkSize: 16 * 1024)
            )
            let reply = try? client.readResponse()
            #expect(
                reply == nil || reply?.status == 413,
                "expected no reply or 413, got \(String(describing: reply?.status))"
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

    @Test("two Content-Length headers: 400")
    func duplicateContentLength() throws {
        let (response, requests, rejections, closed) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"
        )
        #expect(response.status == 400, "expected status 400, got \(response.status)")
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
        #expect(rejections == [.duplicateContentLength], "expected [duplicateContentLength], got \(rejections)")
        #expect(closed, "expected the connection to be closed after a rejection")
    }

    @Test("two differing Content-Length headers: 400")
    func conflictingContentLength() throws {
        let (response, requests, rejections, _) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello"
        )
        #expect(response.status == 400, "expected status 400, got \(response.status)")
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
        #expect(rejections == [.duplicateContentLength], "expected [duplicateContentLength], got \(rejections)")
    }

    @Test("Transfer-Encoding together with Content-Length: 400")
    func transferEncodingWithContentLength() throws {
        let (response, requests, rejections, closed) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        )
        #expect(response.status == 400, "expected status 400, got \(response.status)")
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
        #expect(
            rejections == [.transferEncodingWithContentLength],
            "expected [transferEncodingWithContentLength], got \(rejections)"
        )
        #expect(closed, "expected the connection to be closed after a rejection")
    }

    @Test(
        "Transfer-Encoding other than chunked: 400",
        arguments: ["gzip", "gzip, chunked", "chunked, identity", "identity"]
    )
    func unsupportedTransferEncoding(value: String) throws {
        let (response, requests, rejections, closed) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \(value)\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        )
        #expect(response.status == 400, "\(value): expected status 400, got \(response.status)")
        #expect(requests.isEmpty, "\(value): expected the handler not to run, got \(requests.count) calls")
        #expect(
            rejections == [.unsupportedTransferEncoding(value)],
            "expected [unsupportedTransferEncoding(\(value))], got \(rejections)"
        )
        #expect(closed, "\(value): expected the connection to be closed after a rejection")
    }

    @Test("two Transfer-Encoding headers: 400")
    func duplicateTransferEncoding() throws {
        let (response, requests, _, _) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        )
        #expect(response.status == 400, "expected status 400, got \(response.status)")
        #expect(requests.isEmpty, "expected the handler not to run, got \(requests.count) calls")
    }

    @Test("Transfer-Encoding: CHUNKED is accepted case-insensitively")
    func chunkedUppercase() throws {
        let (response, requests, rejections, _) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            expectClose: false
        )
        #expect(response.status == 200, "expected status 200, got \(response.status)")
        #expect(
            requests.first?.body == Array("hello".utf8),
            "expected body 'hello', got \(String(describing: requests.first?.body))"
        )
        #expect(rejections.isEmpty, "expected no rejection, got \(rejections)")
    }

    @Test(
        "a non-numeric Content-Length never reaches the handler",
        arguments: ["abc", "12abc", "-5", "+5", "0x10", "1 2"]
    )
    func invalidContentLength(value: String) throws {
        let (response, requests, rejections, _) = try exchange(
            "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: \(value)\r\n\r\n"
        )
        #expect(response.status == 400, "\(value): expected status 400, got \(response.status)")
        #expect(requests.isEmpty, "\(value): expected the handler not to run, got \(requests.count) calls")
        // libmicrohttpd answers some malformed values itself, before any callback sees them.
        #expect(
            rejections.isEmpty || rejections == [.invalidContentLength(value)],
            "\(value): expected no rejection or invalidContentLength, got \(rejections)"
        )
    }
}
