import Dispatch
import Synchronization

/// Ends connections that hold a slot without making progress, the way nginx's
/// `client_header_timeout` and a minimum body rate do: a connection must deliver a complete request
/// head within ``Policy/headTimeoutSeconds`` of being accepted (or of its previous answer, on
/// keep-alive), and then its body at ``Policy/minimumBodyBytesPerSecond`` once
/// ``Policy/bodyGraceSeconds`` have passed. libmicrohttpd's idle timeout cannot do this: one byte
/// every few seconds resets it.
///
/// The transport keeps each connection's phase and progress; a timer scans them a few times a
/// second and shuts down (never closes: libmicrohttpd owns the descriptor and closes it when it
/// notices, which frees the slot) the ones this policy calls late.
final class ConnectionDeadlines: Sendable {
    /// The deadlines; a zero disables its check.
    struct Policy: Sendable, Equatable {
        var headTimeoutSeconds: Double
        var minimumBodyBytesPerSecond: Double
        var bodyGraceSeconds: Double
        /// The head deadline while the server is short of connection slots (at least four fifths
        /// of ``connectionLimit`` open): slow heads are then cut sooner, so that a crowd of them
        /// cannot keep every other client out for the whole normal deadline.
        var pressureHeadTimeoutSeconds: Double = 1
        /// The connection limit the pressure is measured against.
        var connectionLimit: Int = .max

        /// Whether a connection `seconds` into `phase`, with `bodyBytes` of its body received, is
        /// late; `underPressure` when connection slots run short.
        func isLate(
            _ phase: ConnectionPhase,
            seconds: Double,
            bodyBytes: UInt64,
            underPressure: Bool = false
        )
            -> Bool
        {
            switch phase {
            case .awaitingHead:
                guard headTimeoutSeconds > 0 else { return false }
                let limit =
                    underPressure ? Swift.min(headTimeoutSeconds, pressureHeadTimeoutSeconds) : headTimeoutSeconds
                return seconds > limit
            case .receivingBody:
                guard minimumBodyBytesPerSecond > 0, seconds > bodyGraceSeconds else { return false }
                return Double(bodyBytes) < minimumBodyBytesPerSecond * (seconds - bodyGraceSeconds)
            default:
                return false
            }
        }
    }

    let policy: Policy
    private let timer = Locked<(any DispatchSourceTimer)?>(nil)
    private let ended = Locked<Int>(0)

    init(policy: Policy) {
        self.policy = policy
    }

    /// Starts scanning `daemon`'s connections every `interval`.
    func start(_ daemon: Daemon, interval: DispatchTimeInterval = .milliseconds(100)) {
        guard policy.headTimeoutSeconds > 0 || policy.minimumBodyBytesPerSecond > 0 else { return }
        let source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        source.setEventHandler { [weak self, weak daemon] in
            if let daemon { self?.scan(daemon) }
        }
        source.resume()
        timer.withLock { $0 = source }
    }

    /// Stops scanning; when it returns no scan is running or will run (call it before the server
    /// stops or is destroyed).
    func stop() {
        timer.withLock { source in
            source?.cancel()
            source = nil
        }
    }

    /// How many connections have been ended for missing a deadline.
    var endedConnections: Int { ended.withLock { $0 } }

    /// One scan, under the timer's lock so that `stop()` waits for it.
    private func scan(_ daemon: Daemon) {
        let count = timer.withLock { source -> Int in
            guard source != nil else { return 0 }
            let pressure = daemon.connectionCount >= policy.connectionLimit / 5 * 4
            return daemon.cutLateConnections { phase, seconds, bytes in
                policy.isLate(phase, seconds: seconds, bodyBytes: bytes, underPressure: pressure)
            }
        }
        if count > 0 { ended.withLock { $0 += count } }
    }
}
