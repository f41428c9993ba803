import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends connections that hold a slot without making progress, the way nginx's
/// `client_header_timeout` and a minimum body rate do: a connection must deliver a complete request
/// head within ``Policy/headTimeoutSeconds`` of being accepted (or of its previous answer, on
/// keep-alive), and then its body at ``Policy/minimumBodyBytesPerSecond`` once
/// ``Policy/bodyGraceSeconds`` have passed. libmicrohttpd's idle timeout cannot do this: one byte
/// every few seconds resets it.
///
/// The shim reports each connection's progress; a timer checks the deadlines a few times a second
/// and shuts a late connection's socket down (never closes it: libmicrohttpd owns the descriptor
/// and closes it when it notices, which frees the slot).
final class ConnectionDeadlines: Sendable {
    /// The deadlines; a zero disables its check.
    struct Policy: Sendable, Equatable {
        var headTimeoutSeconds: Double
        var minimumBodyBytesPerSecond: Double
        var bodyGraceSeconds: Double
    }

    private enum Phase { case awaitingHead, receivingBody, answering, ended }

    private struct Entry {
        var fd: Int32
        var phase: Phase
        /// When the phase began (monotonic nanoseconds).
        var since: UInt64
        var bodyBytes: UInt64 = 0
    }

    let policy: Policy
    private let entries = Locked<[UInt: Entry]>([:])
    private let timer = Locked<(any DispatchSourceTimer)?>(nil)
    /// Connections ended for missing a deadline (for tests and logs).
    private let ended = Locked<Int>(0)

    init(policy: Policy) {
        self.policy = policy
    }

    /// Starts checking every `interval`.
    func start(interval: DispatchTimeInterval = .milliseconds(100)) {
        guard policy.headTimeoutSeconds > 0 || policy.minimumBodyBytesPerSecond > 0 else { return }
        let source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        source.setEventHandler { [weak self] in self?.check() }
        source.resume()
        timer.withLock { $0 = source }
    }

    /// Stops checking.
    func stop() {
        timer.withLock { source in
            source?.cancel()
            source = nil
        }
    }

    /// How many connections have been ended for missing a deadline.
    var endedConnections: Int { ended.withLock { $0 } }

    /// Records one progress report of the shim.
    func record(connection: UInt, fd: Int32, event: Event, bytes: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        entries.withLock { entries in
            switch event {
            case .opened:
                entries[connection] = Entry(fd: fd, phase: .awaitingHead, since: now)
            case .head:
                entries[connection]?.phase = .receivingBody
                entries[connection]?.since = now
                entries[connection]?.bodyBytes = 0
            case .body:
                entries[connection]?.bodyBytes = bytes
            case .answering:
                entries[connection]?.phase = .answering
            case .done:
                if entries[connection]?.phase != .ended {
                    entries[connection]?.phase = .awaitingHead
                    entries[connection]?.since = now
                }
            case .closed:
                entries[connection] = nil
            }
        }
    }

    /// Progress events, as the shim reports them.
    enum Event { case opened, head, body, answering, done, closed }

    /// Shuts down every connection past its deadline. Runs under the lock, so a connection cannot
    /// be closed (and its descriptor reused) while it is being shut down.
    func check() {
        let now = DispatchTime.now().uptimeNanoseconds
        let count = entries.withLock { entries -> Int in
            var count = 0
            for (id, entry) in entries where isLate(entry, now: now) {
                shutdown(entry.fd, Int32(SHUT_RDWR))
                entries[id]?.phase = .ended
                count += 1
            }
            return count
        }
        if count > 0 { ended.withLock { $0 += count } }
    }

    private func isLate(_ entry: Entry, now: UInt64) -> Bool {
        let elapsed = Double(now &- entry.since) / 1e9
        switch entry.phase {
        case .awaitingHead:
            return policy.headTimeoutSeconds > 0 && elapsed > policy.headTimeoutSeconds
        case .receivingBody:
            guard policy.minimumBodyBytesPerSecond > 0, elapsed > policy.bodyGraceSeconds else { return false }
            return Double(entry.bodyBytes) < policy.minimumBodyBytesPerSecond * (elapsed - policy.bodyGraceSeconds)
        case .answering, .ended:
            return false
        }
    }
}
