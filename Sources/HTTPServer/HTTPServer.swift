internal import CMicroHTTPD
import Dispatch

/// An HTTP/1.1 server on libmicrohttpd that calls one handler per fully received request.
///
/// The handler runs on the daemon's worker threads, concurrently, and should not block for
/// long. Requests with ambiguous framing or an oversized body never reach it: the transport
/// asks the rejection handler for the reply instead (see ``HTTPRejection``).
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(ShimHandle)
        case stopped(ShimHandle?)
    }

    private let configuration: HTTPServerConfiguration
    private let callbacks: CallbackBox
    private let state = Locked<State>(.idle)
    /// Serializes shutdowns; holds how many have been asked for. (Not `Locked<Void>`: ThreadSanitizer
    /// reports accesses to a zero-sized value as unsynchronized even under the lock.)
    private let shutdownLock = Locked<Int>(0)
    private let boundPort = Locked<Int>(0)
    private let onDrainDeadline: (@Sendable () -> Void)?

    /// Creates a server whose handler always answers at once; nothing listens until ``start()``.
    public convenience init(
        configuration: HTTPServerConfiguration,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse,
        rejectionHandler: @escaping @Sendable (HTTPRejection) -> HTTPResponse
    ) {
        self.init(
            configuration: configuration,
            respond: { .response(handler($0)) },
            rejectionHandler: rejectionHandler
        )
    }

    /// Creates a server whose handler may answer later (``HTTPHandlerResult/deferred(_:)``);
    /// `onDrainDeadline` is called when a graceful stop's grace period ends with deferred requests
    /// still unanswered: it must make them answer soon (e.g. cancel the work, answering 503).
    public init(
        configuration: HTTPServerConfiguration,
        respond handler: @escaping @Sendable (HTTPRequest) -> HTTPHandlerResult,
        rejectionHandler: @escaping @Sendable (HTTPRejection) -> HTTPResponse,
        onDrainDeadline: (@Sendable () -> Void)? = nil
    ) {
        self.onDrainDeadline = onDrainDeadline
        self.configuration = configuration
        let deadlines = ConnectionDeadlines(
            policy: ConnectionDeadlines.Policy(
                headTimeoutSeconds: configuration.requestHeadTimeoutSeconds,
                minimumBodyBytesPerSecond: Double(configuration.minimumBodyBytesPerSecond),
                bodyGraceSeconds: configuration.bodyGraceSeconds,
                connectionLimit: configuration.effectiveConnectionLimit
            )
        )
        self.callbacks = CallbackBox(
            handler: handler,
            rejectionHandler: rejectionHandler,
            deadlines: deadlines,
            maxBodyBytes: configuration.maxBodyBytes,
            responseMemoryBudget: configuration.responseMemoryBudgetBytes
        )
    }

    /// Makes every allocation of a megabyte or more a separate mapping, so that memory held for a
    /// long answer goes back to the system once the answer is sent (glibc otherwise keeps it in the
    /// heap after raising its mapping threshold to the largest block freed). Call it once at start.
    public static func returnLargeBuffersToTheSystem() {
        lrs_map_large_allocations(1 << 20)
    }

    /// Connections ended so far for missing the head deadline or the minimum body rate.
    public var connectionsEndedForSlowness: Int { callbacks.deadlines.endedConnections }

    deinit {
        callbacks.deadlines.stop()
        state.withLock { state in
            switch state {
            case .idle, .stopped(nil): break
            case .running(let handle), .stopped(.some(let handle)): lrs_destroy(handle.raw)
            }
            state = .stopped(nil)
        }
    }

    /// Binds the address and starts the worker threads.
    ///
    /// - Throws: ``HTTPServerError/invalidConfiguration(_:)`` for an out-of-range setting;
    ///   ``HTTPServerError/cannotStart(_:)`` when the host is not an address literal, the port is
    ///   in use or not permitted, or the server was already started or shut down.
    public func start() throws {
        if let failure = configuration.validationFailure() {
            throw HTTPServerError.invalidConfiguration(failure)
        }
        try state.withLock { state in
            switch state {
            case .idle: break
            case .running: throw HTTPServerError.cannotStart("the server is already running")
            case .stopped: throw HTTPServerError.cannotStart("the server was shut down")
            }
            let handle = try launch()
            callbacks.server.withLock { $0 = handle }
            callbacks.deadlines.start(handle)
            let port = Int(lrs_port(handle.raw))
            boundPort.withLock { $0 = port }
            state = .running(handle)
        }
    }

    /// The bound TCP port once started (the chosen one when configured with 0); before
    /// ``start()``, the configured port.
    public var port: Int {
        let bound = boundPort.withLock { $0 }
        return bound != 0 ? bound : configuration.port
    }

    /// Connections currently open (0 when not running).
    public var connectionCount: Int {
        withRunningHandle { Int(lrs_connection_count($0.raw)) } ?? 0
    }

    /// Requests whose request line has arrived and whose reply is not yet fully sent (0 when not running).
    public var activeRequestCount: Int {
        withRunningHandle { Int(lrs_active_requests($0.raw)) } ?? 0
    }

    /// Graceful stop: stop accepting, let in-flight requests finish (up to gracePeriod), then stop. Idempotent.
    ///
    /// New connection attempts are refused at once; replies queued while draining carry
    /// `Connection: close`. The wait ends as soon as no request is in flight, so idle
    /// keep-alive connections do not hold it up; whatever is still open at the deadline is
    /// closed (a handler still running then is waited for). Returns when the daemon has
    /// stopped and no handler runs any more; concurrent callers all wait for that.
    ///
    /// Call it from any ordinary thread, e.g. one that handles signals (it blocks and takes
    /// locks, so not from inside an asynchronous signal handler). Called from inside a
    /// handler, it starts the shutdown on another thread and returns at once, since waiting
    /// there would wait for itself.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        if lrs_in_callback() != 0 {
            // A Dispatch worker, not a Swift task: shutdown blocks, and a blocked cooperative
            // thread could starve (or be starved by) the concurrency runtime.
            DispatchQueue.global().async { self.shutdown(gracePeriod: gracePeriod) }
            return
        }
        // Serializes shutdowns; the state lock itself is only held briefly so that the
        // counters stay readable (from handlers too) while the server drains.
        shutdownLock.withLock { requests in
            requests += 1
            let running: ShimHandle? = state.withLock { state in
                switch state {
                case .running(let handle): return handle
                case .idle: state = .stopped(nil)
                case .stopped: break
                }
                return nil
            }
            guard let handle = running else { return }
            _ = lrs_quiesce(handle.raw)
            let deadline = ContinuousClock.now + max(gracePeriod, .zero)
            while ContinuousClock.now < deadline {
                if lrs_connection_count(handle.raw) == 0 || lrs_active_requests(handle.raw) == 0 {
                    break
                }
                sleepMicroseconds(5_000)
            }
            // Deferred requests must all be answered before the daemon stops (their tickets die
            // with it): past the grace period, ask for them to be cut short, wait for their
            // answers, and give those a moment to be sent.
            if callbacks.pendingDeferred.load(ordering: .acquiring) > 0 {
                onDrainDeadline?()
                while callbacks.pendingDeferred.load(ordering: .acquiring) > 0 {
                    sleepMicroseconds(5_000)
                }
                let flush = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < flush && lrs_active_requests(handle.raw) > 0 {
                    sleepMicroseconds(5_000)
                }
            }
            callbacks.deadlines.stop()
            lrs_stop(handle.raw)
            state.withLock { $0 = .stopped(handle) }
        }
    }

    /// Starts the daemon with the validated configuration.
    private func launch() throws -> ShimHandle {
        // Unretained: `callbacks` lives as long as `self`, and the daemon is stopped
        // (no callback runs any more) before `self` goes away.
        let context = Unmanaged.passUnretained(callbacks).toOpaque()
        var error = [CChar](repeating: 0, count: 512)
        let server: OpaquePointer? = configuration.host.withCString { host in
            var config = lrs_config(
                host: host,
                port: UInt16(configuration.port),
                threads: UInt32(configuration.threads),
                max_body_bytes: UInt64(configuration.maxBodyBytes),
                connection_limit: UInt32(configuration.effectiveConnectionLimit),
                connection_timeout_seconds: UInt32(configuration.connectionTimeoutSeconds),
                connection_memory_limit: configuration.connectionMemoryLimitBytes,
                per_address_connection_limit: UInt32(configuration.perAddressConnectionLimit),
                on_request: shimRequestCallback,
                on_rejection: shimRejectionCallback,
                on_head: shimHeadCallback,
                context: context
            )
            return error.withUnsafeMutableBufferPointer { buffer in
                lrs_start(&config, buffer.baseAddress, buffer.count)
            }
        }
        guard let server else {
            let reason = error.withUnsafeBufferPointer { buffer in
                String(decoding: UnsafeRawBufferPointer(buffer).prefix { $0 != 0 }, as: UTF8.self)
            }
            throw HTTPServerError.cannotStart(reason.isEmpty ? "libmicrohttpd refused to start" : reason)
        }
        return ShimHandle(raw: server)
    }

    /// Runs `body` with the daemon handle while it is running.
    private func withRunningHandle<T>(_ body: (ShimHandle) -> T) -> T? {
        state.withLock { state in
            if case .running(let handle) = state { return body(handle) }
            return nil
        }
    }
}
