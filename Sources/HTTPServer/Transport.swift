internal import CMicroHTTPD
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where a connection is in its current request, for the deadlines.
enum ConnectionPhase: Int, Sendable {
    /// Shut down by a scan (or unknown).
    case closed = 0
    /// Waiting for (the rest of) a request head.
    case awaitingHead = 1
    /// The head has arrived; the body is arriving.
    case receivingBody = 2
    /// The request is complete and being answered.
    case answering = 3
}

/// Writes to a file descriptor (the C `stderr` stream is not concurrency-safe to name in Swift 6).
enum FileDescriptorOutput {
    case standardError

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// Nanoseconds on the monotonic clock.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// The open connections: each one's progress, and how many each worker of the daemon holds.
struct OpenConnections {
    /// Each open connection's progress record, by identity.
    var progress: [ObjectIdentifier: ConnectionProgress] = [:]
    /// Open connections by descriptor modulo the number of workers: the worker libmicrohttpd's
    /// pool gives a connection added with `MHD_add_connection` (a worker at its limit passes it
    /// on, but a count is still kept by residue, so it balances).
    private(set) var perWorker: [Int]

    init(workers: Int) {
        perWorker = [Int](repeating: 0, count: Swift.max(1, workers))
    }

    /// The worker holding the fewest connections; `preferred` among equals.
    func leastLoaded(preferring preferred: Int) -> Int {
        var best = preferred
        for (worker, count) in perWorker.enumerated() where count < perWorker[best] { best = worker }
        return best
    }

    /// The worker that a connection on descriptor `fd` goes to.
    func worker(of fd: Int32) -> Int { Int(fd) % perWorker.count }

    /// Counts a connection on `fd` as added.
    mutating func added(fd: Int32) { perWorker[worker(of: fd)] += 1 }

    /// Counts a connection on `fd` as gone (closed, or refused when added).
    mutating func closed(fd: Int32) {
        guard fd >= 0 else { return }
        let worker = worker(of: fd)
        perWorker[worker] = Swift.max(0, perWorker[worker] - 1)
    }
}

/// One open connection's progress: written by the connection's worker, read by deadline scans.
final class ConnectionProgress: Sendable {
    /// The socket, for shutting it down.
    let fd: Int32
    /// The client's address, formatted once per connection (`nil` when unknown).
    let remoteAddress: String?
    private let phaseValue = Atomic<Int>(ConnectionPhase.awaitingHead.rawValue)
    private let sinceNanoseconds = Atomic<UInt64>(monotonicNanoseconds())
    private let bodyByteCount = Atomic<UInt64>(0)

    init(fd: Int32, remoteAddress: String?) {
        self.fd = fd
        self.remoteAddress = remoteAddress
    }

    /// The phase, when it began, and the body bytes received in it.
    var snapshot: (phase: ConnectionPhase, since: UInt64, bodyBytes: UInt64) {
        (
            ConnectionPhase(rawValue: phaseValue.load(ordering: .relaxed)) ?? .closed,
            sinceNanoseconds.load(ordering: .relaxed),
            bodyByteCount.load(ordering: .relaxed)
        )
    }

    /// Records that the connection entered `phase` (`nil` keeps the phase and only updates the
    /// body count); nothing once a scan has shut it down.
    func progress(_ phase: ConnectionPhase?, bodyBytes: UInt64) {
        guard phaseValue.load(ordering: .relaxed) != ConnectionPhase.closed.rawValue else { return }
        bodyByteCount.store(bodyBytes, ordering: .relaxed)
        if let phase {
            sinceNanoseconds.store(monotonicNanoseconds(), ordering: .relaxed)
            phaseValue.store(phase.rawValue, ordering: .relaxed)
        }
    }

    /// Shuts the socket down (libmicrohttpd notices, closes it and frees the slot).
    func cut() {
        phaseValue.store(ConnectionPhase.closed.rawValue, ordering: .relaxed)
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }
}

/// The state of one request, kept in libmicrohttpd's `*con_cls` from the request line until the
/// request completes. Only the connection's worker touches it, except `deferredState` and
/// `ready`, which the thread answering a deferred request sets (ordered by `deferredState`).
final class RequestState: @unchecked Sendable {
    /// The raw request target, as sent.
    let target: String?
    var headChecked = false
    /// A reply was queued when the head arrived.
    var answered = false
    /// The body passed the limit.
    var tooLarge = false
    var received: UInt64 = 0
    var discarded: UInt64 = 0
    var body: [UInt8] = []
    /// The connection's progress record, looked up once per request.
    var progress: ConnectionProgress?
    /// The request's headers, collected once when the head arrives (libmicrohttpd keeps the
    /// bytes until the request completes).
    var headers: [Head.Field] = []
    /// The handler deferred its answer.
    var deferred = false
    /// 0 while the handler runs, 1 once suspended, 2 once `ready` holds the answer. The answering
    /// thread writes `ready` before storing 2 (release); the worker reads it after loading 2
    /// (acquire), so `ready` needs no lock of its own.
    let deferredState = Atomic<Int>(0)
    var ready: MHDResponse?

    init(target: String?) {
        self.target = target
    }
}

/// Everything the libmicrohttpd callbacks need, reached through their `void *` context.
final class Transport: Sendable {
    let handler: @Sendable (HTTPRequest) -> HTTPHandlerResult
    let rejectionHandler: @Sendable (HTTPRejection) -> HTTPResponse
    let deadlines: ConnectionDeadlines
    /// The largest accepted request body.
    let maxBodyBytes: Int
    /// After a body passes the limit, at most this many more bytes are read and dropped so
    /// that the client still gets its 413; past that the connection is dropped.
    let discardAllowance: UInt64
    /// The bodies libmicrohttpd holds, under the budget shared with the application.
    let held: ResponseMemory
    /// The most response-body bytes libmicrohttpd may hold at once.
    var responseMemoryBudget: Int { held.budget }
    /// Requests whose request line has arrived and whose reply is not yet fully sent.
    let activeRequests = Atomic<Int>(0)
    /// Deferred requests not answered yet; the daemon must not stop while any is pending.
    let pendingDeferred = Atomic<Int>(0)
    /// Set when a graceful stop begins: every reply then closes its connection.
    let draining = Atomic<Bool>(false)
    /// Open connections: each one's progress, for the deadline scans, and how many each worker holds.
    let connections: Locked<OpenConnections>
    /// While the daemon starts, its first log line (the reason it refuses to start).
    let startError = Locked<String?>(nil)
    let starting = Atomic<Bool>(false)

    /// Answers shorter than this are sent as they are: compressing them saves nothing.
    static let smallestCompressed = 1024
    /// Answers this small always pass the budget check, so health checks and errors still work.
    static let alwaysAllowed = 64 * 1024

    init(
        handler: @escaping @Sendable (HTTPRequest) -> HTTPHandlerResult,
        rejectionHandler: @escaping @Sendable (HTTPRejection) -> HTTPResponse,
        deadlines: ConnectionDeadlines,
        maxBodyBytes: Int,
        responseMemory: ResponseMemory,
        workers: Int
    ) {
        self.connections = Locked(OpenConnections(workers: workers))
        self.handler = handler
        self.rejectionHandler = rejectionHandler
        self.deadlines = deadlines
        self.maxBodyBytes = maxBodyBytes
        self.discardAllowance = UInt64(Swift.max(maxBodyBytes, 64 * 1024))
        self.held = responseMemory
    }

    /// `response` with a counted body, gzip-compressed when the client takes it and it is worth
    /// it, or the rejection handler's 503 when it would take the held bytes past the budget.
    func counted(_ response: HTTPResponse, gzip: Bool) -> MHDResponse? {
        // Only held bodies count here: a reservation is for this very answer until it is sent.
        let heldNow = held.held.load(ordering: .relaxed)
        if response.body.count > Self.alwaysAllowed && heldNow + response.body.count > responseMemoryBudget {
            return rejectionHandler(.responseMemoryExhausted(limit: responseMemoryBudget)).makeMHDResponse()
        }
        if gzip && response.body.count >= Self.smallestCompressed
            && !response.headerFields.contains(.contentEncoding),
            let compressed = response.makeMHDResponse(counted: held, gzip: true)
        {
            return compressed
        }
        return response.makeMHDResponse(counted: held)
    }

    /// Queues `response` (a plain 500 when there is none); replies close the connection when
    /// `close` is set or the server is draining.
    func queue(_ response: MHDResponse?, on connection: OpaquePointer, close: Bool) -> MHD_Result {
        guard let response = response ?? MHDResponse.plain(500) else { return .NO }
        return response.queue(on: connection, close: close || draining.load(ordering: .relaxed))
    }

    /// The transport behind a callback's context pointer.
    static func from(_ context: UnsafeMutableRawPointer?) -> Transport {
        Unmanaged<Transport>.fromOpaque(context!).takeUnretainedValue()
    }
}

// MARK: - libmicrohttpd callbacks (they run on its worker threads)

/// `MHD_OPTION_URI_LOG_CALLBACK`: the request line has arrived; its state starts here.
func transportBeginRequest(
    _ context: UnsafeMutableRawPointer?,
    _ uri: UnsafePointer<CChar>,
    _ connection: OpaquePointer
) -> UnsafeMutableRawPointer? {
    let transport = Transport.from(context)
    transport.activeRequests.add(1, ordering: .relaxed)
    return Unmanaged.passRetained(RequestState(target: String(cString: uri))).toOpaque()
}

/// `MHD_OPTION_NOTIFY_COMPLETED`: the request is over (answered, failed or timed out).
func transportEndRequest(
    _ context: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ code: MHD_RequestTerminationCode
) {
    let transport = Transport.from(context)
    guard let requestContext, let pointer = requestContext.pointee else {
        if let connection { progress(of: connection)?.progress(.awaitingHead, bodyBytes: 0) }
        return
    }
    let state = Unmanaged<RequestState>.fromOpaque(pointer)
    if let tracked = state.takeUnretainedValue().progress ?? connection.flatMap(progress(of:)) {
        tracked.progress(.awaitingHead, bodyBytes: 0)
    }
    state.release()
    requestContext.pointee = nil
    transport.activeRequests.subtract(1, ordering: .relaxed)
}

/// `MHD_OPTION_NOTIFY_CONNECTION`: tracks open connections for the deadline scans.
func transportNotifyConnection(
    _ context: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ code: MHD_ConnectionNotificationCode
) {
    guard let connection, let socketContext else { return }
    let transport = Transport.from(context)
    if code == .CONNECTION_NOTIFY_STARTED {
        let tracked = ConnectionProgress(
            fd: lrs_connection_fd(connection),
            remoteAddress: remoteAddress(of: connection)
        )
        transport.connections.withLock { $0.progress[ObjectIdentifier(tracked)] = tracked }
        socketContext.pointee = Unmanaged.passRetained(tracked).toOpaque()
        return
    }
    guard let pointer = socketContext.pointee else { return }
    let tracked = Unmanaged<ConnectionProgress>.fromOpaque(pointer)
    // Forgotten before libmicrohttpd closes the descriptor, so a scan never shuts down a
    // descriptor that has been reused.
    transport.connections.withLock { open in
        let closing = tracked.takeUnretainedValue()
        open.progress[ObjectIdentifier(closing)] = nil
        open.closed(fd: closing.fd)
    }
    socketContext.pointee = nil
    tracked.release()
}

/// The client's address (`127.0.0.1`, `::1`), when libmicrohttpd knows it.
private func remoteAddress(of connection: OpaquePointer) -> String? {
    var address = [CChar](repeating: 0, count: 64)
    guard lrs_connection_address(connection, &address, address.count) != 0 else { return nil }
    return String(decoding: address.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The progress record of `connection`, if it has one.
private func progress(of connection: OpaquePointer) -> ConnectionProgress? {
    lrs_connection_context(connection).map { Unmanaged<ConnectionProgress>.fromOpaque($0).takeUnretainedValue() }
}

/// libmicrohttpd's log lines: captured while the daemon starts (the reason it refuses), printed after.
func transportLog(_ context: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>) {
    let transport = Transport.from(context)
    let line = String(cString: message)
    if transport.starting.load(ordering: .acquiring) {
        transport.startError.withLock { if $0 == nil { $0 = line } }
        return
    }
    FileDescriptorOutput.standardError.write("microhttpd: \(line)\n")
}

/// The access handler: called once with the head, once per body chunk, and once more at the end
/// (and again after a deferred answer resumes the connection).
func transportAccess(
    _ context: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ url: UnsafePointer<CChar>?,
    _ method: UnsafePointer<CChar>?,
    _ version: UnsafePointer<CChar>?,
    _ uploadData: UnsafePointer<CChar>?,
    _ uploadDataSize: UnsafeMutablePointer<Int>?,
    _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let connection, let method, let uploadDataSize, let requestContext else { return .NO }
    let transport = Transport.from(context)
    if requestContext.pointee == nil {
        transport.activeRequests.add(1, ordering: .relaxed)
        requestContext.pointee = Unmanaged.passRetained(RequestState(target: nil)).toOpaque()
    }
    let state = Unmanaged<RequestState>.fromOpaque(requestContext.pointee!).takeUnretainedValue()

    if !state.headChecked {
        state.headChecked = true
        state.progress = progress(of: connection)
        state.progress?.progress(.receivingBody, bodyBytes: 0)
        // The framing policy runs before any body byte is read: a rejection queued now means
        // no 100 Continue is sent.
        let head = Head(connection: connection, url: url, method: method, version: version)
        state.headers = head.collectHeaders()
        if let rejection = head.rejection(headers: state.headers, maxBodyBytes: transport.maxBodyBytes) {
            state.answered = true
            lrs_enter_callback()
            let response = transport.rejectionHandler(rejection).makeMHDResponse()
            lrs_leave_callback()
            return transport.queue(response, on: connection, close: true)
        }
        return .YES
    }

    if uploadDataSize.pointee != 0 {
        let size = uploadDataSize.pointee
        uploadDataSize.pointee = 0
        receive(UnsafeRawBufferPointer(start: uploadData, count: size), into: state, transport)
        state.progress?.progress(nil, bodyBytes: state.received + state.discarded)
        return state.tooLarge && state.discarded > transport.discardAllowance ? .NO : .YES
    }

    if state.answered { return .YES }
    if state.deferred {
        // Called again after the answer resumed the connection: send it.
        guard state.deferredState.load(ordering: .acquiring) == 2 else { return .YES }
        state.deferred = false
        let ready = state.ready
        state.ready = nil
        return transport.queue(ready, on: connection, close: false)
    }
    state.progress?.progress(.answering, bodyBytes: state.received)
    if state.tooLarge {
        lrs_enter_callback()
        let response = transport.rejectionHandler(.bodyTooLarge(limit: transport.maxBodyBytes)).makeMHDResponse()
        lrs_leave_callback()
        return transport.queue(response ?? MHDResponse.plain(413), on: connection, close: true)
    }
    return dispatch(state, connection, url: url, method: method, version: version, transport)
}

/// Appends a body chunk, or counts it as dropped once the body has passed the limit.
private func receive(_ chunk: UnsafeRawBufferPointer, into state: RequestState, _ transport: Transport) {
    if state.tooLarge {
        state.discarded += UInt64(chunk.count)
        return
    }
    state.received += UInt64(chunk.count)
    if state.received > UInt64(transport.maxBodyBytes) {
        state.tooLarge = true
        state.discarded = state.received - UInt64(transport.maxBodyBytes)
        state.body = []
        return
    }
    state.body.append(contentsOf: chunk)
}

/// Hands the complete request to the handler and queues (or defers) its answer.
private func dispatch(
    _ state: RequestState,
    _ connection: OpaquePointer,
    url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>,
    version: UnsafePointer<CChar>?,
    _ transport: Transport
) -> MHD_Result {
    let head = Head(connection: connection, url: url, method: method, version: version)
    let request = head.request(
        target: state.target,
        headers: state.headers,
        body: state.body,
        remoteAddress: state.progress.map(\.remoteAddress) ?? remoteAddress(of: connection)
    )
    state.body = []
    let gzip = request.acceptsGzip
    lrs_enter_callback()
    let result = transport.handler(request)
    lrs_leave_callback()
    switch result {
    case .response(let response):
        return transport.queue(transport.counted(response, gzip: gzip), on: connection, close: false)
    case .deferred(let start):
        state.deferred = true
        transport.pendingDeferred.add(1, ordering: .acquiringAndReleasing)
        let ticket = Ticket(state: state, connection: connection)
        let answered = Atomic<Bool>(false)
        start { response in
            guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
            ticket.state.ready = transport.counted(response, gzip: gzip)
            // Resume only a suspended connection; if the worker has not suspended it yet, it
            // sees state 2 after suspending and resumes it itself.
            if ticket.state.deferredState.exchange(2, ordering: .acquiringAndReleasing) == 1 {
                MHD_resume_connection(ticket.connection)
            }
            transport.pendingDeferred.subtract(1, ordering: .acquiringAndReleasing)
        }
        MHD_suspend_connection(connection)
        if !state.deferredState.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged {
            MHD_resume_connection(connection)
        }
        return .YES
    }
}

/// A deferred request, handed to the thread that will answer it. The request state stays alive
/// (libmicrohttpd holds it) until the daemon stops, which waits for every deferred answer.
private struct Ticket: @unchecked Sendable {
    let state: RequestState
    let connection: OpaquePointer
}

/// The request head as libmicrohttpd parsed it: the framing checks and the request value.
struct Head {
    let connection: OpaquePointer
    let url: UnsafePointer<CChar>?
    let method: UnsafePointer<CChar>
    let version: UnsafePointer<CChar>?

    /// One header's name and value bytes.
    typealias Field = (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    /// Header name and value bytes, in arrival order; valid until the request completes.
    func collectHeaders() -> [Field] {
        var list: [Field] = []
        list.reserveCapacity(16)
        withUnsafeMutablePointer(to: &list) { pointer in
            _ = MHD_get_connection_values_n(connection, .HEADER_KIND, collectHeader, pointer)
        }
        return list
    }

    /// The framing policy's answer to this head, or `nil` to go on.
    func rejection(headers: [Field], maxBodyBytes: Int) -> HTTPRejection? {
        HTTPHeadCheck.rejection(
            method: bytes(method),
            version: bytes(version),
            headers: headers.lazy.map { ($0.name, $0.value) },
            maxBodyBytes: maxBodyBytes,
            malformedLine: isMalformed(headers)
        )
    }

    /// libmicrohttpd parses the head in place, turning each CRLF into two NULs and taking strings
    /// up to their first NUL. After a well-formed line both following bytes are NUL; a bare LF
    /// (one NUL, then the next line) or an embedded NUL (then the rest of the value) leaves a
    /// non-NUL byte second. The target follows the method and one space.
    func isMalformed(_ headers: [Field]) -> Bool {
        func endsBadly(_ text: UnsafeRawBufferPointer) -> Bool {
            guard let base = text.baseAddress else { return false }
            return base.load(fromByteOffset: text.count, as: UInt8.self) != 0
                || base.load(fromByteOffset: text.count + 1, as: UInt8.self) != 0
        }
        if let url, UnsafeRawPointer(url) != UnsafeRawPointer(method) + strlen(method) + 1 { return true }
        if version != nil && endsBadly(bytes(version)) { return true }
        return headers.contains { endsBadly($0.value) }
    }

    /// The request value handed to the handler.
    func request(target: String?, headers: [Field], body: [UInt8], remoteAddress: String?) -> HTTPRequest {
        var rawTarget = target ?? url.map { String(cString: $0) } ?? "/"
        // One pass over the bytes: `#` and `?` are ASCII, so their positions are character
        // boundaries. `whole` marks a target that is all path (the usual one: no copy made).
        let (whole, path, query) = rawTarget.withUTF8 { bytes -> (Bool, String, String?) in
            var end = bytes.count
            var mark: Int?
            for i in bytes.indices {
                if bytes[i] == UInt8(ascii: "#") {
                    end = i
                    break
                }
                if mark == nil && bytes[i] == UInt8(ascii: "?") { mark = i }
            }
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            guard let mark else { return (end == bytes.count, end == bytes.count ? "" : text(0..<end), nil) }
            return (false, text(0..<mark), text(mark + 1..<end))
        }
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for header in headers {
            // Names were checked to be tokens before the body was read.
            guard let name = Self.commonName(header.name) ?? HTTPField.Name(decode(header.name)) else { continue }
            fields.append(HTTPField(name: name, value: decode(header.value)))
        }
        return HTTPRequest(
            method: Self.method(bytes(method)),
            version: Self.version(bytes(version)),
            path: whole ? rawTarget : path,
            query: query,
            headerFields: fields,
            body: body,
            remoteAddress: remoteAddress
        )
    }

    /// The names most requests carry, when spelled exactly as their constants are (then the
    /// name as sent is the constant's): no string to build, validate and lowercase.
    private static func commonName(_ text: UnsafeRawBufferPointer) -> HTTPField.Name? {
        switch text.count {
        case 4: HTTPHeadCheck.equals(text, "Host") ? host : nil
        case 6: HTTPHeadCheck.equals(text, "Accept") ? .accept : nil
        case 10:
            HTTPHeadCheck.equals(text, "User-Agent")
                ? .userAgent : HTTPHeadCheck.equals(text, "Connection") ? .connection : nil
        case 12: HTTPHeadCheck.equals(text, "Content-Type") ? .contentType : nil
        case 14: HTTPHeadCheck.equals(text, "Content-Length") ? .contentLength : nil
        case 15: HTTPHeadCheck.equals(text, "Accept-Encoding") ? .acceptEncoding : nil
        default: nil
        }
    }

    /// `Host` (HTTPTypes keeps no constant for it: HTTP/2 carries it as `:authority`).
    private static let host = HTTPField.Name("Host")!

    /// The method as sent: the common ones without building a string.
    private static func method(_ text: UnsafeRawBufferPointer) -> HTTPMethod {
        if HTTPHeadCheck.equals(text, "POST") { return .post }
        if HTTPHeadCheck.equals(text, "GET") { return .get }
        if HTTPHeadCheck.equals(text, "HEAD") { return .head }
        return HTTPMethod(String(decoding: text, as: UTF8.self)) ?? .get
    }

    /// The protocol version as sent: the common ones without building a string.
    private static func version(_ text: UnsafeRawBufferPointer) -> String {
        if HTTPHeadCheck.equals(text, "HTTP/1.1") { return "HTTP/1.1" }
        if HTTPHeadCheck.equals(text, "HTTP/1.0") { return "HTTP/1.0" }
        return String(decoding: text, as: UTF8.self)
    }

    private func bytes(_ text: UnsafePointer<CChar>?) -> UnsafeRawBufferPointer {
        guard let text else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text, count: strlen(text))
    }

    private func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// `MHD_get_connection_values_n`'s iterator: appends one header to the list behind `context`.
private func collectHeader(
    _ context: UnsafeMutableRawPointer?,
    _ kind: MHD_ValueKind,
    _ key: UnsafePointer<CChar>?,
    _ keySize: Int,
    _ value: UnsafePointer<CChar>?,
    _ valueSize: Int
) -> MHD_Result {
    guard let context, let key else { return .YES }
    let list = context.assumingMemoryBound(to: [Head.Field].self)
    let valueBytes =
        value.map { UnsafeRawBufferPointer(start: $0, count: valueSize) }
        ?? UnsafeRawBufferPointer(start: nil, count: 0)
    list.pointee.append((UnsafeRawBufferPointer(start: key, count: keySize), valueBytes))
    return .YES
}
