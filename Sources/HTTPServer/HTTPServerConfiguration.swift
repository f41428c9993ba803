internal import CMicroHTTPD

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Listening address, thread pool and limits of an ``HTTPServer``.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind: an IPv4 literal (`"127.0.0.1"`, `"0.0.0.0"`), an IPv6 literal
    /// (`"::1"`, `"::"`, optionally in brackets; `"::"` also accepts IPv4), or `"localhost"`.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one (read it back from ``HTTPServer/port``).
    public var port: Int = 8080
    /// Worker threads (each runs its own epoll loop); 1 means a single polling thread.
    public var threads: Int
    /// Largest accepted request body in bytes; larger bodies are rejected with ``HTTPRejection/bodyTooLarge(limit:)``.
    public var maxBodyBytes: Int = 1_048_576
    /// Most concurrent connections (shared out among the worker threads); at start it is lowered
    /// to what the process's file-descriptor limit allows (see ``effectiveConnectionLimit``).
    public var connectionLimit: Int = 1000
    /// Most concurrent connections from one client address (0: no limit), so that one client
    /// cannot hold every connection slot.
    public var perAddressConnectionLimit: Int = 64
    /// Seconds of inactivity after which a connection is closed; 0 disables the timeout.
    public var connectionTimeoutSeconds: Int = 30
    /// The most bytes of answers that may wait, at once, for clients to read them; a larger answer
    /// arriving past it is replaced by a 503 (answers up to 64 KiB always pass).
    public var responseMemoryBudgetBytes: Int {
        get { responseMemory.budget }
        set { responseMemory = ResponseMemory(budget: newValue) }
    }
    /// The ledger of that budget; hand the same one to the application, so that it refuses an
    /// answer before computing it when the answers already in memory leave no room.
    public var responseMemory = ResponseMemory()
    /// Seconds a connection has to deliver a complete request head, counted from its accept or
    /// from its previous answer (keep-alive); 0 disables the deadline. Unlike the idle timeout,
    /// trickling bytes does not extend it.
    public var requestHeadTimeoutSeconds: Double = 10
    /// Smallest average rate, in bytes per second, at which a request body must arrive once
    /// ``bodyGraceSeconds`` have passed since its head; 0 disables the check.
    public var minimumBodyBytesPerSecond: Int = 1024
    /// Seconds a body may take before ``minimumBodyBytesPerSecond`` applies.
    public var bodyGraceSeconds: Double = 5
    /// Per-connection memory for the request line and headers; larger heads get 431 or 414.
    /// libmicrohttpd clears the whole of it after every request, so its size is a per-request
    /// cost: 16 KiB takes heads of up to about 15 KiB, several times what a browser sends.
    public var connectionMemoryLimitBytes: Int = 16 * 1024

    /// Creates the default configuration: 127.0.0.1:8080, one thread per available processor.
    public init() {
        threads = Int(lrs_available_processors())
    }

    /// ``connectionLimit``, lowered so that every connection can get a file descriptor: the
    /// process's soft `RLIMIT_NOFILE` minus what the server itself uses (listening and epoll
    /// descriptors, inter-thread channels, standard streams, log files), so that a flood of
    /// connections meets a clean refusal instead of `EMFILE` inside libmicrohttpd.
    public var effectiveConnectionLimit: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return connectionLimit
        }
        let reserved = 32 + 4 * threads
        let available = Int(clamping: limit.rlim_cur) - reserved
        return Swift.max(1, Swift.min(connectionLimit, available))
    }

    /// Smallest accepted ``connectionMemoryLimitBytes``.
    static let minimumConnectionMemory = 4096

    /// Describes the first invalid setting, or returns `nil` when all are valid.
    func validationFailure() -> String? {
        if !(0...65535).contains(port) { return "port must be within 0...65535, got \(port)" }
        if !(1...1024).contains(threads) { return "threads must be within 1...1024, got \(threads)" }
        if maxBodyBytes < 0 { return "maxBodyBytes must not be negative, got \(maxBodyBytes)" }
        if connectionLimit < 1 || connectionLimit > Int(UInt32.max) {
            return "connectionLimit must be within 1...\(UInt32.max), got \(connectionLimit)"
        }
        if perAddressConnectionLimit < 0 || perAddressConnectionLimit > Int(UInt32.max) {
            return "perAddressConnectionLimit must be within 0...\(UInt32.max), got \(perAddressConnectionLimit)"
        }
        if !(requestHeadTimeoutSeconds >= 0) || !(bodyGraceSeconds >= 0) || minimumBodyBytesPerSecond < 0 {
            return "requestHeadTimeoutSeconds, bodyGraceSeconds and minimumBodyBytesPerSecond must not be negative"
        }
        if connectionTimeoutSeconds < 0 || connectionTimeoutSeconds > Int(UInt32.max) {
            return "connectionTimeoutSeconds must be within 0...\(UInt32.max), got \(connectionTimeoutSeconds)"
        }
        if connectionMemoryLimitBytes < Self.minimumConnectionMemory {
            return
                "connectionMemoryLimitBytes must be at least \(Self.minimumConnectionMemory), got \(connectionMemoryLimitBytes)"
        }
        if host.isEmpty || host.utf8.contains(0) { return "host must be an IP address literal, got '\(host)'" }
        return nil
    }
}
