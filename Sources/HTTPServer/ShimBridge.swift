internal import CMicroHTTPD
import Synchronization

/// The handlers one server hands to the C shim through its `void *` context.
final class CallbackBox: Sendable {
    let handler: @Sendable (HTTPRequest) -> HTTPHandlerResult
    let rejectionHandler: @Sendable (HTTPRejection) -> HTTPResponse
    let deadlines: ConnectionDeadlines
    /// The largest accepted request body, for the head's Content-Length check.
    let maxBodyBytes: Int
    /// The running daemon, for answering deferred requests.
    let server = Locked<ShimHandle?>(nil)
    /// Deferred requests not answered yet; the daemon must not stop while any is pending.
    let pendingDeferred = Atomic<Int>(0)
    /// The most response-body bytes libmicrohttpd may hold at once (see
    /// ``HTTPServerConfiguration/responseMemoryBudgetBytes``).
    let responseMemoryBudget: Int

    /// `response` as a counted shim response, or the rejection handler's answer (503) when it
    /// would take the bytes held for slow readers past the budget.
    func shimResponse(_ response: HTTPResponse, server: ShimHandle, gzip: Bool = false) -> OpaquePointer? {
        let budget = responseMemoryBudget
        let held = Int(clamping: lrs_held_response_bytes(server.raw))
        if response.body.count > Self.alwaysAllowed && held + response.body.count > budget {
            return rejectionHandler(.responseMemoryExhausted(limit: budget)).makeShimResponse()
        }
        if gzip && response.body.count >= Self.smallestCompressed
            && !response.headers.contains(where: { asciiCaseInsensitiveEquals($0.name, "Content-Encoding") }),
            let compressed = response.makeShimResponse(counted: server, gzip: true)
        {
            _ = lrs_response_add_header(compressed, "Content-Encoding", "gzip")
            _ = lrs_response_add_header(compressed, "Vary", "Accept-Encoding")
            return compressed
        }
        return response.makeShimResponse(counted: server)
    }

    /// Answers shorter than this are sent as they are: compressing them saves nothing.
    static let smallestCompressed = 1024

    /// Answers this small always pass the budget check, so health checks and errors still work.
    static let alwaysAllowed = 64 * 1024

    init(
        handler: @escaping @Sendable (HTTPRequest) -> HTTPHandlerResult,
        rejectionHandler: @escaping @Sendable (HTTPRejection) -> HTTPResponse,
        deadlines: ConnectionDeadlines,
        maxBodyBytes: Int,
        responseMemoryBudget: Int
    ) {
        self.handler = handler
        self.rejectionHandler = rejectionHandler
        self.deadlines = deadlines
        self.maxBodyBytes = maxBodyBytes
        self.responseMemoryBudget = responseMemoryBudget
    }
}

/// A deferred request's ticket, handed to another thread until it is answered.
private struct Ticket: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// An `lrs_server *` that may cross threads; every C entry point it reaches is thread-safe.
struct ShimHandle: @unchecked Sendable {
    let raw: OpaquePointer
}

/// Request callback called by the shim on a worker thread.
func shimRequestCallback(
    _ context: UnsafeMutableRawPointer?,
    _ request: UnsafePointer<lrs_request>
) -> OpaquePointer? {
    guard let context else { return nil }
    let box = Unmanaged<CallbackBox>.fromOpaque(context).takeUnretainedValue()
    let server = box.server.withLock { $0 }
    let httpRequest = HTTPRequest(shim: request.pointee)
    let gzip = httpRequest.acceptsGzip
    switch box.handler(httpRequest) {
    case .response(let response):
        return server.map { box.shimResponse(response, server: $0, gzip: gzip) } ?? response.makeShimResponse()
    case .deferred(let start):
        guard let server, let raw = request.pointee.ticket else { return nil }
        let ticket = Ticket(raw: raw)
        let answered = Atomic<Bool>(false)
        box.pendingDeferred.add(1, ordering: .acquiringAndReleasing)
        start { response in
            guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
            lrs_resume(server.raw, ticket.raw, box.shimResponse(response, server: server, gzip: gzip))
            box.pendingDeferred.subtract(1, ordering: .acquiringAndReleasing)
        }
        return lrs_response_deferred()
    }
}

/// Head callback called by the shim on a worker thread once a request's head has arrived: the
/// framing policy of `HTTPHeadCheck`, answered through the rejection handler.
func shimHeadCallback(
    _ context: UnsafeMutableRawPointer?,
    _ request: UnsafePointer<lrs_request>
) -> OpaquePointer? {
    guard let context else { return nil }
    let box = Unmanaged<CallbackBox>.fromOpaque(context).takeUnretainedValue()
    guard let rejection = headRejection(request.pointee, maxBodyBytes: box.maxBodyBytes) else { return nil }
    return box.rejectionHandler(rejection).makeShimResponse()
}

/// `HTTPHeadCheck` on the shim's bytes, without copying them.
private func headRejection(_ r: lrs_request, maxBodyBytes: Int) -> HTTPRejection? {
    func bytes(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count)
    }
    let headers = UnsafeBufferPointer(start: r.header_count > 0 ? r.headers : nil, count: r.header_count)
    return HTTPHeadCheck.rejection(
        method: bytes(r.method, r.method_len),
        version: bytes(r.version, r.version_len),
        headers: headers.lazy.map { (bytes($0.name, $0.name_len), bytes($0.value, $0.value_len)) },
        maxBodyBytes: maxBodyBytes,
        malformedLine: r.malformed_line != 0
    )
}

/// Rejection callback called by the shim on a worker thread.
func shimRejectionCallback(
    _ context: UnsafeMutableRawPointer?,
    _ rejection: UnsafePointer<lrs_rejection>
) -> OpaquePointer? {
    guard let context, let value = HTTPRejection(shim: rejection.pointee) else { return nil }
    let box = Unmanaged<CallbackBox>.fromOpaque(context).takeUnretainedValue()
    return box.rejectionHandler(value).makeShimResponse()
}

/// Decodes `count` bytes at `pointer` as UTF-8 (invalid sequences become U+FFFD).
private func decodeString(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> String {
    guard let pointer, count > 0 else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
}

extension HTTPRequest {
    /// Copies a shim request, valid only during the callback, into a value.
    init(shim r: lrs_request) {
        var headers: [(name: String, value: String)] = []
        if let list = r.headers, r.header_count > 0 {
            headers.reserveCapacity(r.header_count)
            for h in UnsafeBufferPointer(start: list, count: r.header_count) {
                headers.append((decodeString(h.name, h.name_len), decodeString(h.value, h.value_len)))
            }
        }
        var body: [UInt8] = []
        if let bytes = r.body, r.body_len > 0 {
            body = Array(UnsafeBufferPointer(start: bytes, count: r.body_len))
        }
        self.init(
            method: decodeString(r.method, r.method_len),
            version: decodeString(r.version, r.version_len),
            path: decodeString(r.path, r.path_len),
            query: r.query.map { decodeString($0, r.query_len) },
            headers: headers,
            body: body
        )
    }
}

extension HTTPRejection {
    /// Maps a shim rejection; `nil` for an unknown kind.
    init?(shim r: lrs_rejection) {
        switch r.kind {
        case LRS_REJECT_BODY_TOO_LARGE: self = .bodyTooLarge(limit: Int(clamping: r.limit))
        default: return nil
        }
    }
}

extension HTTPResponse {
    /// Builds a shim response (owned by the caller), or `nil` for a status the shim cannot send;
    /// with `counted`, its body counts towards that server's held response bytes.
    func makeShimResponse(counted server: ShimHandle? = nil, gzip: Bool = false) -> OpaquePointer? {
        guard (200...999).contains(status) else { return nil }
        let created = body.withUnsafeBytes { bytes in
            if let server, gzip {
                return lrs_response_create_gzipped(server.raw, UInt32(status), bytes.baseAddress, bytes.count)
            }
            if let server {
                return lrs_response_create_counted(server.raw, UInt32(status), bytes.baseAddress, bytes.count)
            }
            return lrs_response_create(UInt32(status), bytes.baseAddress, bytes.count)
        }
        guard let response = created else { return nil }
        for (name, value) in headers where Self.isSendable(name: name, value: value) {
            _ = lrs_response_add_header(response, name, value)
        }
        return response
    }

    /// Whether a header can be written without breaking the message framing.
    static func isSendable(name: String, value: String) -> Bool {
        guard !name.isEmpty else { return false }
        let forbiddenInName: Set<UInt8> = [0, 9, 10, 13, 32, UInt8(ascii: ":")]
        let forbiddenInValue: Set<UInt8> = [0, 10, 13]
        return !name.utf8.contains(where: forbiddenInName.contains)
            && !value.utf8.contains(where: forbiddenInValue.contains)
    }
}
