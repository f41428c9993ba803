internal import CMicroHTTPD
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The listening socket and the one thread that accepts on it, handing each connection to the
/// daemon with `MHD_add_connection`.
///
/// libmicrohttpd's own accepting lets whichever worker wakes first take up to ten connections in
/// a row, so a burst of new connections (a load generator, a proxy's keep-alive pool) often lands
/// two to one on one worker, whose requests then wait about twice as long as the other's.
/// `MHD_add_connection` gives a connection to the worker numbered by its descriptor modulo the
/// pool size (libmicrohttpd `daemon.c`, `MHD_add_connection`), so each new connection goes to
/// the worker holding the fewest: its descriptor is moved to a number of that residue when it
/// has another (`lrs_descriptor_for_worker`). The workers' shares of the open connections stay
/// within one of each other whatever else the process opens.
///
/// At the connection limit the thread stops accepting until a connection closes, so new attempts
/// wait in the backlog (libmicrohttpd's own behaviour) instead of being accepted and closed. The
/// per-address limit is libmicrohttpd's, applied as the connection is added.
final class Acceptor: Sendable {
    private struct Handle: @unchecked Sendable {
        let daemon: OpaquePointer
    }

    /// The listening socket (blocking: the thread waits in `accept4`).
    let fd: Int32
    /// The bound port (the chosen one when asked for 0).
    let port: Int
    private let handle: Handle
    private let transport: Transport
    private let limit: Int
    private let stopping = Atomic<Bool>(false)
    private let thread = Locked<pthread_t?>(nil)

    /// Creates, binds and listens on a socket for `address`; the reason as text when it cannot.
    static func listen(
        on address: sockaddr_storage,
        ipv6: Bool,
        dualStack: Bool
    ) -> Result<(fd: Int32, port: Int), ListenFailure> {
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(ListenFailure(errno: errno)) }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if ipv6 {
            var only: Int32 = dualStack ? 0 : 1
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &only, socklen_t(MemoryLayout<Int32>.size))
        }
        var storage = address
        let length = socklen_t(ipv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, Glibc.listen(fd, SOMAXCONN) == 0 else {
            let failure = ListenFailure(errno: errno)
            _ = Glibc.close(fd)
            return .failure(failure)
        }
        var local = sockaddr_storage()
        var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &localLength) }
        }
        let port = withUnsafeBytes(of: local) { raw -> UInt16 in
            // sin_port and sin6_port sit at the same offset, in network order.
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
        return .success((fd, Int(port)))
    }

    /// Why a socket could not listen: `strerror` of its `errno`.
    struct ListenFailure: Error {
        let errno: Int32
        var reason: String { String(cString: strerror(errno)) }
    }

    /// An acceptor for the listening socket `fd` (bound to `port`) feeding `daemon`, which holds at
    /// most `limit` connections. Nothing is accepted until ``start()``.
    init(fd: Int32, port: Int, daemon: OpaquePointer, transport: Transport, limit: Int) {
        self.transport = transport
        self.fd = fd
        self.port = port
        self.handle = Handle(daemon: daemon)
        self.limit = limit
    }

    /// Starts the accepting thread; false when the system refuses a thread.
    func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let started = pthread_create(
            &handle,
            nil,
            { raw in
                let acceptor = Unmanaged<Acceptor>.fromOpaque(raw!).takeRetainedValue()
                acceptor.run()
                return nil
            },
            context
        )
        guard started == 0 else {
            Unmanaged<Acceptor>.fromOpaque(context).release()
            return false
        }
        thread.withLock { $0 = handle }
        return true
    }

    /// Stops accepting: the socket refuses new attempts at once and the thread ends before this
    /// returns (the daemon may then be stopped). Idempotent; the socket stays open until ``close()``.
    func stop() {
        stopping.store(true, ordering: .releasing)
        // Wakes a thread blocked in accept4 (it fails with EINVAL) and refuses queued attempts.
        _ = shutdown(fd, Int32(SHUT_RDWR))
        // Joined under the lock: a second caller returns only once the thread has ended (the
        // accepting thread never takes this lock).
        thread.withLock { state in
            if let handle = state { pthread_join(handle, nil) }
            state = nil
        }
    }

    /// Closes the listening socket; call after ``stop()``.
    func close() {
        _ = Glibc.close(fd)
    }

    private func run() {
        let daemon = handle.daemon
        lrs_name_thread("lrsched-accept")
        var address = sockaddr_storage()
        var failing = false
        while !stopping.load(ordering: .acquiring) {
            // At the limit, wait for a connection to close; attempts queue in the backlog.
            if Int(lrs_daemon_connections(daemon)) >= limit {
                usleep(2_000)
                continue
            }
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    lrs_accept(fd, $0, &length)
                }
            }
            guard client >= 0 else {
                let code = errno
                switch code {
                case EINTR, EAGAIN, ECONNABORTED, EPROTO: continue
                default:
                    // EINVAL once `stop` has shut the socket down; anything else (out of
                    // descriptors or memory) is retried shortly, said once per run of failures.
                    if stopping.load(ordering: .acquiring) { return }
                    if !failing {
                        failing = true
                        FileDescriptorOutput.standardError.write(
                            "lrsched-accept: cannot accept a connection: \(String(cString: strerror(code))); retrying every 10 ms\n"
                        )
                    }
                    usleep(10_000)
                    continue
                }
            }
            failing = false
            // Counted before the daemon has it, so that a burst of accepts spreads.
            let placed = transport.connections.withLock { open in
                let target = open.leastLoaded(preferring: open.worker(of: client))
                let moved = lrs_descriptor_for_worker(client, UInt32(target), UInt32(open.perWorker.count))
                open.added(fd: moved)
                return moved
            }
            // Takes the descriptor either way: closes it itself when it refuses it (per-address
            // limit, the workers full).
            let added = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    MHD_add_connection(daemon, placed, $0, length)
                }
            }
            if added != .YES { transport.connections.withLock { $0.closed(fd: placed) } }
        }
    }
}
