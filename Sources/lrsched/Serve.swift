import ArgumentParser
import HTTPServer
import Logging
import Service

#if canImport(Glibc)
import Glibc
#endif

/// `lrsched serve`: run the HTTP service until SIGTERM or SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API (the default subcommand).",
        discussion: "Every option can also be set with its environment variable; a flag wins over the environment."
    )

    @Option(
        help:
            "Address to listen on (IPv4 or IPv6 literal, or localhost; 0.0.0.0 or :: for all interfaces). [env: LRSCHED_HOST] (default: 127.0.0.1)"
    )
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free port. [env: LRSCHED_PORT, then PORT] (default: 8080)")
    var port: Int?

    @Option(help: "Worker threads. [env: LRSCHED_THREADS] (default: number of cores)")
    var threads: Int?

    @Option(
        help: "Largest request body in bytes; larger bodies get 413. [env: LRSCHED_MAX_BODY_BYTES] (default: 1048576)"
    )
    var maxBodyBytes: Int?

    @Option(help: "Most simultaneous connections. [env: LRSCHED_MAX_CONNECTIONS] (default: 1000)")
    var maxConnections: Int?

    @Option(
        help:
            "Most simultaneous connections from one client address; 0 for no limit. [env: LRSCHED_MAX_CONNECTIONS_PER_ADDRESS] (default: 64)"
    )
    var maxConnectionsPerAddress: Int?

    @Option(
        help:
            "Seconds a connection has to send a complete request head (trickled bytes do not extend it); 0 disables. [env: LRSCHED_REQUEST_HEAD_TIMEOUT] (default: 10)"
    )
    var requestHeadTimeout: Int?

    @Option(
        help:
            "Bytes per second a request body must average after a 5 s grace; 0 disables. [env: LRSCHED_MIN_BODY_RATE] (default: 1024)"
    )
    var minBodyRate: Int?

    @Option(
        help:
            "Bytes of answers that may wait at once for slow clients; past it big answers get 503. [env: LRSCHED_RESPONSE_MEMORY_BYTES] (default: 134217728)"
    )
    var responseMemoryBytes: Int?

    @Option(help: "Seconds an idle connection is kept. [env: LRSCHED_CONNECTION_TIMEOUT] (default: 30)")
    var connectionTimeout: Int?

    @Option(
        help: "Seconds to let in-flight requests finish on SIGTERM/SIGINT. [env: LRSCHED_SHUTDOWN_GRACE] (default: 10)"
    )
    var shutdownGrace: Int?

    @Option(
        help:
            "Seconds to keep serving after SIGTERM/SIGINT with /readyz answering 503, so load balancers stop sending traffic first; a second signal ends it early. [env: LRSCHED_DRAIN_DELAY] (default: 5)"
    )
    var drainDelay: Int?

    @Option(
        help:
            "Training runs that may execute at once; more get 503. [env: LRSCHED_MAX_CONCURRENT_TRAINING] (default: threads - 1, at least 1)"
    )
    var maxConcurrentTraining: Int?

    @Option(
        help: "Training runs that may wait for a free slot; more get 503. [env: LRSCHED_TRAINING_QUEUE] (default: 8)"
    )
    var trainingQueue: Int?

    @Option(
        help:
            "Seconds a training run may wait in the queue before it is answered 503. [env: LRSCHED_TRAINING_QUEUE_TIMEOUT] (default: 10)"
    )
    var trainingQueueTimeout: Int?

    @Option(
        help:
            "Schedule requests whose work exceeds this are evaluated off the connection threads, so probes and cheap requests never wait behind them. [env: LRSCHED_INLINE_WORK] (default: 20000)"
    )
    var inlineWork: Int?

    @Option(
        help:
            "Expensive schedule evaluations that may run at once. [env: LRSCHED_EVALUATION_WORKERS] (default: the number of cores)"
    )
    var evaluationWorkers: Int?

    @Option(
        help:
            "Expensive schedule evaluations that may wait for a worker; beyond that they get 503 at once. [env: LRSCHED_EVALUATION_QUEUE] (default: 32)"
    )
    var evaluationQueue: Int?

    @Option(
        help:
            "Bytes of computed answers kept for repeated requests (least recently used go first); 0 disables. [env: LRSCHED_ANSWER_CACHE_BYTES] (default: 67108864)"
    )
    var answerCacheBytes: Int?

    @Option(
        help:
            "Log level: trace, debug, info (each request), notice, warning, error, critical. [env: LRSCHED_LOG_LEVEL] (default: info)"
    )
    var logLevel: String?

    @Option(
        help:
            "Log line format: text (for people) or json (one object per line, for collectors). [env: LRSCHED_LOG_FORMAT] (default: text)"
    )
    var logFormat: String?

    @OptionGroup var schedules: ScheduleOptions
    @OptionGroup var training: TrainingOptions

    func run() throws {
        HTTPServer.returnLargeBuffersToTheSystem()
        // Block SIGTERM and SIGINT before any thread starts (threads inherit the mask): a stop
        // signal that arrives at any moment, even during start-up, stays pending until
        // `sigwait` below takes it, instead of being lost or killing the process.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        var settings = try resolveSettings()
        settings.service.metricsExposition = Telemetry.bootstrap()
        try runServer(settings, until: &stopSignals)
    }

    /// Serves the application until a stop signal, then drains and stops.
    func runServer(_ settings: Settings, until stopSignals: inout sigset_t) throws {
        let (server, format, level, drain, grace) =
            (settings.server, settings.format, settings.level, settings.drain, settings.grace)
        let output = LogOutput()
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, format: format, output: output, logLevel: level)
        }
        let logger = Logger(label: "lrsched")
        let busy = LogThrottle("busy answers (503) in the last second or more", level: .warning, logger: logger)
        let rejected = LogThrottle("requests rejected before routing", level: .notice, logger: logger)
        let accessLog = ServeAccessLog(output: output, format: format, logger: logger, level: level, busy: busy)
        let application = Application(configuration: settings.service, accessLog: accessLog)
        let service = application.service
        let httpServer = HTTPServer(
            configuration: server,
            respond: application.respond,
            rejectionHandler: { rejection in
                let response = application.reject(rejection)
                rejected.record(rejectionReason(response))
                return response
            },
            onDrainDeadline: {
                logger.notice("grace period over: cancelling training runs still in flight (answered 503)")
                service.cancelTraining()
            }
        )
        do {
            try httpServer.start()
        } catch {
            logger.critical("cannot start: \(error)")
            output.flush()
            throw ExitCode.failure
        }
        logger.notice(
            "lrsched listening on http://\(server.host.contains(":") ? "[\(server.host)]" : server.host):\(httpServer.port) (threads: \(server.threads), max connections: \(server.effectiveConnectionLimit), per address: \(server.perAddressConnectionLimit), max body: \(server.maxBodyBytes) B, max epochs: \(service.configuration.limits.maxEpochs))"
        )

        var received: Int32 = 0
        while sigwait(&stopSignals, &received) != 0 {}
        service.readiness.beginDraining()
        if drain > 0 {
            logger.notice(
                "received signal \(received): /readyz now answers 503; still serving for \(drain) s so load balancers can stop sending traffic"
            )
            if waitForSignal(&stopSignals, seconds: drain) {
                logger.notice("second signal: ending the drain delay early")
            }
        }
        logger.notice(
            "no longer accepting connections, finishing in-flight requests (up to \(grace) s)"
        )
        httpServer.shutdown(gracePeriod: .seconds(grace))
        busy.flush()
        rejected.flush()
        logger.notice("stopped")
        output.flush()
    }
}

/// `serve`'s access log: one line per answer at `info` (server errors through swift-log at
/// `error`, whatever the level), busy answers (503) counted and summarised once a second
/// instead of logged one by one.
struct ServeAccessLog: AccessLogSink {
    let output: LogOutput
    let format: LogFormat
    let logger: Logger
    let level: Logger.Level
    let busy: LogThrottle

    func record(_ record: AccessRecord) {
        if record.status == 503 {
            busy.record("\(record.method) \(record.route)")
            return
        }
        if record.status >= 500 {
            logger.error(
                "\(record.message)",
                metadata: Logger.Metadata(uniqueKeysWithValues: record.fields.map { ($0.key, $0.value) })
            )
        } else if level <= .info {
            output.access(record, format: format)
        }
    }
}

/// A path for a log line: at most 256 characters, control characters escaped.
func printablePath(_ path: String) -> String {
    // The usual path: short, and no byte below 0x20 or 0x7F (bytes of multi-byte UTF-8
    // sequences are all 0x80 or above, so this is the scalar test below).
    var bytes = path
    let usual = bytes.withUTF8 { utf8 in utf8.count <= 256 && !utf8.contains { $0 < 0x20 || $0 == 0x7F } }
    if usual { return path }
    let short = path.count > 256 ? String(path.prefix(256)) + "…" : path
    return short.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        ? String(short.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        : short
}

/// The reason of a pre-routing rejection, in the words of its problem's `detail`.
func rejectionReason(_ response: HTTPResponse) -> String {
    let text = String(decoding: response.body, as: UTF8.self)
    let marker = #""detail":""#
    guard let found = text.firstRange(of: marker) else { return "status \(response.status)" }
    let rest = text[found.upperBound...]
    return "\(response.status): " + rest.prefix { $0 != "\"" }
}

/// Waits up to `seconds` for one of `signals` (blocked in every thread); whether one came.
func waitForSignal(_ signals: inout sigset_t, seconds: Int) -> Bool {
    var timeout = timespec(tv_sec: seconds, tv_nsec: 0)
    while true {
        let received = sigtimedwait(&signals, nil, &timeout)
        if received > 0 { return true }
        if errno != EINTR { return false }
    }
}
