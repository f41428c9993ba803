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
        case running(Daemon)
        case stopped(Daemon?)
    }

    private let configuration: HTTPServerConfiguration
    private let transport: Transport
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
        self.transport = Transport(
            handler: handler,
            rejectionHandler: rejectionHandler,
            deadlines: deadlines,
            maxBodyBytes: configuration.maxBodyBytes,
            responseMemory: configuration.responseMemory,
            workers: configuration.threads
        )
    }

    /// Makes every allocation of a megabyte or more a separate mapping, so that memory held for a
    /// long answer goes back to the system once the answer is sent (glibc otherwise keeps it in the
    /// heap after raising its mapping threshold to the largest block freed). Call it once at start.
    public static func returnLargeBuffersToTheSystem() {
        lrs_map_large_allocations(1 << 20)
    }

    /// Connections ended so far for missing the head deadline or the minimum body rate.
    public var connectionsEndedForSlowness: Int { transport.deadlines.endedConnections }

    deinit {
        transport.deadlines.stop()
        state.withLock { state in
            switch state {
            case .idle, .stopped(nil): break
            case .running(let daemon), .stopped(.some(let daemon)): daemon.stop()
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
            let daemon = try Daemon(configuration: configuration, transport: transport)
            transport.deadlines.start(daemon)
            let port = daemon.port
            boundPort.withLock { $0 = port }
            state = .running(daemon)
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
        withRunningDaemon { $0.connectionCount } ?? 0
    }

    /// Requests whose request line has arrived and whose reply is not yet fully sent (0 when not running).
    public var activeRequestCount: Int {
        withRunningDaemon { _ in transport.activeRequests.load(ordering: .relaxed) } ?? 0
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
            let running: Daemon? = state.withLock { state in
                switch state {
                case .running(let daemon): return daemon
                case .idle: state = .stopped(nil)
                case .stopped: break
                }
                return nil
            }
            guard let daemon = running else { return }
            daemon.quiesce()
            let active = { self.transport.activeRequests.load(ordering: .relaxed) }
            let deadline = ContinuousClock.now + max(gracePeriod, .zero)
            while ContinuousClock.now < deadline {
                if daemon.connectionCount == 0 || active() == 0 { break }
                sleepMicroseconds(5_000)
            }
            // Deferred requests must all be answered before the daemon stops (their tickets die
            // with it): past the grace period, ask for them to be cut short, wait for their
            // answers, and give those a moment to be sent.
            if transport.pendingDeferred.load(ordering: .acquiring) > 0 {
                onDrainDeadline?()
                while transport.pendingDeferred.load(ordering: .acquiring) > 0 {
                    sleepMicroseconds(5_000)
                }
                let flush = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < flush && active() > 0 {
                    sleepMicroseconds(5_000)
                }
            }
            transport.deadlines.stop()
            daemon.stop()
            state.withLock { $0 = .stopped(daemon) }
        }
    }

    /// Runs `body` with the daemon while it is running.
    private func withRunningDaemon<T>(_ body: (Daemon) -> T) -> T? {
        state.withLock { state in
            if case .running(let daemon) = state { return body(daemon) }
            return nil
        }
    }
}
