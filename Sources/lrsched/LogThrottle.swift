import HTTPServer
import Logging
import Synchronization

/// Logs a repeated event at most once per interval, with how many times it happened since the last
/// line: clients that ignore `Retry-After`, or keep sending malformed requests, cannot flood the log.
final class LogThrottle: Sendable {
    private struct State {
        var count = 0
        var lastLine: ContinuousClock.Instant?
        var lastDetail = ""
    }

    private let state = Locked(State())
    private let interval: Duration
    private let logger: Logger
    private let level: Logger.Level
    private let what: String

    /// A throttle that logs `what` at `level` at most once per `interval`.
    init(_ what: String, level: Logger.Level, logger: Logger, interval: Duration = .seconds(1)) {
        self.what = what
        self.level = level
        self.logger = logger
        self.interval = interval
    }

    /// Counts one occurrence (described by `detail`, e.g. the latest request) and logs when the
    /// interval since the last line has passed.
    func record(_ detail: @autoclosure () -> String) {
        guard logger.logLevel <= level else { return }
        let now = ContinuousClock.now
        let line: (count: Int, detail: String)? = state.withLock { state in
            state.count += 1
            state.lastDetail = detail()
            if let last = state.lastLine, now - last < interval { return nil }
            defer {
                state.count = 0
                state.lastLine = now
            }
            return (state.count, state.lastDetail)
        }
        if let line { logger.log(level: level, "\(line.count) \(what) (latest: \(line.detail))") }
    }

    /// Logs what was counted since the last line, if anything (at shutdown).
    func flush() {
        let pending: (count: Int, detail: String)? = state.withLock { state in
            guard state.count > 0 else { return nil }
            defer { state.count = 0 }
            return (state.count, state.lastDetail)
        }
        if let pending { logger.log(level: level, "\(pending.count) \(what) (latest: \(pending.detail))") }
    }
}
