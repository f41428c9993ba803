import HTTPServer
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thread-safe log of what reached the handlers.
final class Recorder: Sendable {
    private let requests = Locked<[HTTPRequest]>([])
    private let rejections = Locked<[HTTPRejection]>([])

    func record(_ request: HTTPRequest) { requests.withLock { $0.append(request) } }
    func record(_ rejection: HTTPRejection) { rejections.withLock { $0.append(rejection) } }
    var recordedRequests: [HTTPRequest] { requests.withLock { $0 } }
    var recordedRejections: [HTTPRejection] { rejections.withLock { $0 } }
}

/// A one-shot flag another thread can wait for, with a timeout.
final class Signal: Sendable {
    private let flag = Locked<Bool>(false)

    func fire() { flag.withLock { $0 = true } }

    /// Waits until fired; false when `timeout` elapses first.
    func wait(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if flag.withLock({ $0 }) { return true }
            usleep(2_000)
        }
        return flag.withLock { $0 }
    }
}

/// Runs `work` on a new detached POSIX thread.
func runOnThread(_ work: @escaping @Sendable () -> Void) {
    final class Box {
        let work: @Sendable () -> Void
        init(_ w: @escaping @Sendable () -> Void) { work = w }
    }
    let box = Unmanaged.passRetained(Box(work)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread,
        nil,
        { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.work()
            return nil
        },
        box
    )
    precondition(rc == 0, "pthread_create failed: \(rc)")
    pthread_detach(thread)
}

/// Polls `condition` until it holds or `timeout` elapses; returns its last value.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// The handler used by most tests: records the request and echoes it.
/// The body is echoed back when present; otherwise a text summary is sent.
func echoHandler(_ recorder: Recorder) -> @Sendable (HTTPRequest) -> HTTPResponse {
    { request in
        recorder.record(request)
        let summary = "\(request.method) \(request.path) \(request.query ?? "<none>")"
        return HTTPResponse(
            status: 200,
            headerFields: [
                .contentType: "application/octet-stream",
                HTTPField.Name("X-Echo-Method")!: request.method.rawValue,
                HTTPField.Name("X-Echo-Body-Length")!: String(request.body.count),
            ],
            body: request.body.isEmpty ? Array(summary.utf8) : request.body
        )
    }
}

/// Rejection handler used by the tests: records the rejection and answers with problem+json.
func problemHandler(_ recorder: Recorder) -> @Sendable (HTTPRejection) -> HTTPResponse {
    { rejection in
        recorder.record(rejection)
        return HTTPResponse(
            status: rejection.suggestedStatus,
            headerFields: [.contentType: "application/problem+json"],
            body: Array(#"{"title":"rejected","detail":"\#(rejection)"}"#.utf8)
        )
    }
}

/// Starts a server on 127.0.0.1 port 0, runs `body`, and always shuts it down.
func withServer(
    maxBodyBytes: Int = 1_048_576,
    threads: Int = 2,
    host: String = "127.0.0.1",
    handler: (@Sendable (HTTPRequest) -> HTTPResponse)? = nil,
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer, Recorder) throws -> Void
) throws {
    let recorder = Recorder()
    var configuration = HTTPServerConfiguration()
    configuration.host = host
    configuration.port = 0
    configuration.threads = threads
    configuration.maxBodyBytes = maxBodyBytes
    configuration.connectionTimeoutSeconds = 10
    configure(&configuration)
    let server = HTTPServer(
        configuration: configuration,
        handler: handler ?? echoHandler(recorder),
        rejectionHandler: problemHandler(recorder)
    )
    try server.start()
    defer { server.shutdown(gracePeriod: .seconds(2)) }
    try body(server, recorder)
}

/// Deterministic pseudo-random bytes (SplitMix64).
func patternBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    var out = [UInt8]()
    out.reserveCapacity(count)
    while out.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        withUnsafeBytes(of: z) { out.append(contentsOf: $0.prefix(count - out.count)) }
    }
    return out
}
