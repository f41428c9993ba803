internal import CMicroHTTPD

#if canImport(Glibc)
import Glibc
#endif

/// A running libmicrohttpd daemon and its ``Acceptor``: start, the counters, quiesce and stop
/// behind one lock.
///
/// The lock is held only briefly, never while the daemon stops (stopping joins the workers, and
/// a callback on a worker may read the counters).
public final class Daemon: Sendable {
    private struct Lifecycle: @unchecked Sendable {
        var daemon: OpaquePointer?
        var quiesced = false
    }

    private let lifecycle: Locked<Lifecycle>
    /// The options are the logger's context: they live as long as the daemon.
    private let options: Options
    private let acceptor: Acceptor
    let transport: Transport

    private struct Options: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<lrs_daemon_options>
    }

    /// Starts a daemon for `configuration` (already validated) whose callbacks reach `transport`.
    init(configuration: HTTPServerConfiguration, transport: Transport) throws {
        self.transport = transport
        guard let (address, ipv6, any6) = Self.socketAddress(configuration.host, port: UInt16(configuration.port))
        else {
            throw HTTPServerError.cannotStart(
                "invalid host '\(configuration.host.prefix(64))': expected an IPv4 or IPv6 address literal"
            )
        }
        let cannotListen = { (reason: String) in
            HTTPServerError.cannotStart(
                "cannot listen on \(configuration.host.prefix(64)) port \(configuration.port): \(reason)"
            )
        }
        let listening: (fd: Int32, port: Int)
        switch Acceptor.listen(on: address, ipv6: ipv6, dualStack: any6) {
        case .success(let socket): listening = socket
        case .failure(let failure): throw cannotListen(failure.reason)
        }
        // The acceptor owns the listening socket; the daemon gets each connection from it.
        let flags =
            MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_USE_ITC.rawValue
            | MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_ERROR_LOG.rawValue | MHD_USE_NO_LISTEN_SOCKET.rawValue
        let pointer = UnsafeMutablePointer<lrs_daemon_options>.allocate(capacity: 1)
        let context = Unmanaged.passUnretained(transport).toOpaque()
        pointer.initialize(
            to: lrs_daemon_options(
                flags: flags,
                threads: UInt32(configuration.threads),
                connection_limit: UInt32(configuration.effectiveConnectionLimit),
                per_address_connection_limit: UInt32(configuration.perAddressConnectionLimit),
                connection_timeout_seconds: UInt32(configuration.connectionTimeoutSeconds),
                connection_memory_limit: configuration.connectionMemoryLimitBytes,
                access: transportAccess,
                uri_log: transportBeginRequest,
                completed: transportEndRequest,
                notify_connection: transportNotifyConnection,
                log: transportLog,
                context: context
            )
        )
        options = Options(pointer: pointer)
        transport.starting.store(true, ordering: .releasing)
        let started = lrs_start_daemon(pointer)
        transport.starting.store(false, ordering: .releasing)
        guard let daemon = started else {
            // Thrown before every property is set, so no `deinit` runs: released here.
            _ = close(listening.fd)
            pointer.deinitialize(count: 1)
            pointer.deallocate()
            throw cannotListen(transport.startError.withLock { $0 } ?? "libmicrohttpd refused to start")
        }
        lifecycle = Locked(Lifecycle(daemon: daemon))
        acceptor = Acceptor(
            fd: listening.fd,
            port: listening.port,
            daemon: daemon,
            transport: transport,
            limit: configuration.effectiveConnectionLimit
        )
        guard acceptor.start() else {
            stop()
            throw HTTPServerError.cannotStart("cannot start the thread that accepts connections")
        }
    }

    deinit {
        stop()
        options.pointer.deinitialize(count: 1)
        options.pointer.deallocate()
    }

    /// The bound port, 0 once stopped.
    var port: Int {
        lifecycle.withLock { state in state.daemon == nil ? 0 : acceptor.port }
    }

    /// Open connections, 0 once stopped.
    var connectionCount: Int {
        lifecycle.withLock { state in state.daemon.map { Int(lrs_daemon_connections($0)) } ?? 0 }
    }

    /// Stops accepting: new connection attempts fail at once, and every reply from now on
    /// closes its connection. Returns whether this call did it.
    @discardableResult
    func quiesce() -> Bool {
        lifecycle.withLock { state in
            guard state.daemon != nil, !state.quiesced else { return false }
            state.quiesced = true
            transport.draining.store(true, ordering: .relaxed)
            // Refuses new attempts at once instead of leaving them in the backlog.
            acceptor.stop()
            return true
        }
    }

    /// Stops the daemon (joining its workers) and closes the listening socket. Idempotent.
    func stop() {
        let daemon = lifecycle.withLock { state in
            defer { state.daemon = nil }
            return state.daemon
        }
        transport.draining.store(true, ordering: .relaxed)
        guard let daemon else { return }
        // No connection may be handed over once the daemon is gone.
        acceptor.stop()
        MHD_stop_daemon(daemon)
        acceptor.close()
    }

    /// Shuts down the connections `isLate` picks from their phase, seconds in it and body bytes;
    /// returns how many.
    func cutLateConnections(_ isLate: (ConnectionPhase, Double, UInt64) -> Bool) -> Int {
        let now = monotonicNanoseconds()
        return transport.connections.withLock { connections in
            var count = 0
            for connection in connections.progress.values where connection.fd >= 0 {
                let (phase, since, bytes) = connection.snapshot
                guard phase != .closed else { continue }
                let seconds = now > since ? Double(now - since) / 1e9 : 0
                if isLate(phase, seconds, bytes) {
                    connection.cut()
                    count += 1
                }
            }
            return count
        }
    }

    /// Whether `host` is something the server can listen on: an IPv4 or IPv6 literal (IPv6
    /// optionally in brackets) or `localhost`.
    public static func isAddressLiteral(_ host: String) -> Bool {
        socketAddress(host, port: 0) != nil
    }

    /// `host` (an IP literal, `[v6]`, or `localhost`) and `port` as a socket address.
    static func socketAddress(_ host: String, port: UInt16) -> (sockaddr_storage, ipv6: Bool, any6: Bool)? {
        var storage = sockaddr_storage()
        let name = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, name, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v4, as: sockaddr_in.self) }
            return (storage, false, false)
        }
        var literal = Substring(name)
        if literal.hasPrefix("[") && literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        var v6 = sockaddr_in6()
        guard inet_pton(AF_INET6, String(literal), &v6.sin6_addr) == 1 else { return nil }
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = port.bigEndian
        let any = withUnsafeBytes(of: v6.sin6_addr) { $0.allSatisfy { $0 == 0 } }
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v6, as: sockaddr_in6.self) }
        return (storage, true, any)
    }
}
