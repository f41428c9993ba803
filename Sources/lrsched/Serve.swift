import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Service

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
            "Log level: trace, debug, info (each request), notice, warning, error, critical. [env: LRSCHED_LOG_LEVEL] (default: info)"
    )
    var logLevel: String?

    @Option(
        help:
            "Log line format: text (for people) or json (one object per line, for collectors). [env: LRSCHED_LOG_FORMAT] (default: text)"
    )
    var logFormat: String?

    @OptionGroup var evaluation: EvaluationOptions

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

        var server = HTTPServerConfiguration()
        server.host = resolve(host, env: "LRSCHED_HOST", default: "127.0.0.1")
        let fallbackPort = try resolve(nil, env: "PORT", default: 8080)
        server.port = try resolve(port, env: "LRSCHED_PORT", default: fallbackPort)
        server.threads = try resolve(threads, env: "LRSCHED_THREADS", default: server.threads)
        server.maxBodyBytes = try resolve(maxBodyBytes, env: "LRSCHED_MAX_BODY_BYTES", default: 1_048_576)
        server.connectionLimit = try resolve(maxConnections, env: "LRSCHED_MAX_CONNECTIONS", default: 1000)
        server.requestHeadTimeoutSeconds = Double(
            try resolve(requestHeadTimeout, env: "LRSCHED_REQUEST_HEAD_TIMEOUT", default: 10)
        )
        server.responseMemoryBudgetBytes = try resolve(
            responseMemoryBytes,
            env: "LRSCHED_RESPONSE_MEMORY_BYTES",
            default: 128 * 1024 * 1024
        )
        server.minimumBodyBytesPerSecond = try resolve(minBodyRate, env: "LRSCHED_MIN_BODY_RATE", default: 1024)
        server.perAddressConnectionLimit = try resolve(
            maxConnectionsPerAddress,
            env: "LRSCHED_MAX_CONNECTIONS_PER_ADDRESS",
            default: 64
        )
        server.connectionTimeoutSeconds = try resolve(connectionTimeout, env: "LRSCHED_CONNECTION_TIMEOUT", default: 30)
        let grace = try resolve(shutdownGrace, env: "LRSCHED_SHUTDOWN_GRACE", default: 10)
        let drain = try resolve(drainDelay, env: "LRSCHED_DRAIN_DELAY", default: 5)
        let levelName = resolve(logLevel, env: "LRSCHED_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw ValidationError(
                "log level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(levelName)\""
            )
        }
        var serviceConfiguration = try evaluation.serviceConfiguration(maxBodyBytes: server.maxBodyBytes)
        serviceConfiguration.maxConcurrentTrainingRuns = try resolve(
            maxConcurrentTraining,
            env: "LRSCHED_MAX_CONCURRENT_TRAINING",
            default: max(1, server.threads - 1)
        )
        serviceConfiguration.trainingQueueLength = try resolve(trainingQueue, env: "LRSCHED_TRAINING_QUEUE", default: 8)
        serviceConfiguration.trainingQueueTimeout = .seconds(
            try resolve(trainingQueueTimeout, env: "LRSCHED_TRAINING_QUEUE_TIMEOUT", default: 10)
        )
        guard serviceConfiguration.trainingQueueLength >= 0 else {
            throw ValidationError("--training-queue must not be negative")
        }
        guard serviceConfiguration.maxConcurrentTrainingRuns >= 1 else {
            throw ValidationError("--max-concurrent-training must be at least 1")
        }
        let formatName = resolve(logFormat, env: "LRSCHED_LOG_FORMAT", default: "text")
        guard let format = LogFormat(rawValue: formatName.lowercased()) else {
            throw ValidationError("log format must be text or json, got \"\(formatName)\"")
        }
        serviceConfiguration.metricsExposition = Telemetry.bootstrap()
        let service = ScheduleService(configuration: serviceConfiguration)
        let metrics = service.metrics

        let output = LogOutput()
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, format: format, output: output, logLevel: level)
        }
        let logger = Logger(label: "lrsched")
        let busy = LogThrottle("busy answers (503) in the last second or more", level: .warning, logger: logger)
        let rejected = LogThrottle("requests rejected before routing", level: .notice, logger: logger)

        /// One access-log line per answer (busy answers are counted, not logged one by one) and
        /// the request metrics.
        let finish: @Sendable (HTTPRequest, String, String, HTTPResponse, ContinuousClock.Instant) -> Void = {
            request,
            id,
            route,
            response,
            started in
            let elapsed = ContinuousClock.now - started
            metrics.end(
                route: route,
                method: request.method,
                status: response.status,
                bytesIn: request.body.count,
                bytesOut: response.body.count,
                duration: elapsed
            )
            if response.status == 503 {
                busy.record("\(request.method) \(route)")
                return
            }
            let level: Logger.Level = response.status >= 500 ? .error : .info
            guard logger.logLevel <= level else { return }
            logger.log(
                level: level,
                "\(request.method) \(printablePath(request.path)) \(response.status)",
                metadata: [
                    "request_id": .string(id),
                    "method": .string(request.method),
                    "route": .string(route),
                    "status": .stringConvertible(response.status),
                    "bytes": .stringConvertible(response.body.count),
                    "duration_us": .stringConvertible(elapsed.microseconds),
                    "remote": .string(request.remoteAddress ?? "-"),
                ]
            )
        }
        let httpServer = HTTPServer(
            configuration: server,
            respond: { request in
                let started = ContinuousClock.now
                let id = RequestID.of(request)
                let route = ServiceMetrics.routeName(for: request.path)
                metrics.begin()
                switch service.respond(to: request, id: id) {
                case .response(let response):
                    finish(request, id, route, response, started)
                    return .response(response)
                case .deferred(let start):
                    return .deferred { respond in
                        start { response in
                            finish(request, id, route, response, started)
                            respond(response)
                        }
                    }
                }
            },
            rejectionHandler: { rejection in
                let response = service.reject(rejection)
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
            "lrsched listening on http://\(server.host):\(httpServer.port) (threads: \(server.threads), max connections: \(server.effectiveConnectionLimit), per address: \(server.perAddressConnectionLimit), max body: \(server.maxBodyBytes) B, max epochs: \(service.configuration.limits.maxEpochs))"
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

/// A path for a log line: at most 256 characters, control characters escaped.
func printablePath(_ path: String) -> String {
    let short = path.count > 256 ? String(path.prefix(256)) + "…" : path
    return short.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        ? String(short.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        : short
}

/// The reason of a pre-routing rejection, in the words of its problem's `detail`.
func rejectionReason(_ response: HTTPResponse) -> String {
    let text = String(decoding: response.body, as: UTF8.self)
    guard let start = text.range(of: #""detail":""#)?.upperBound,
        let end = text[start...].range(of: #"""#)?.lowerBound
    else { return "status \(response.status)" }
    return "\(response.status): " + text[start..<end]
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

extension Duration {
    /// Whole microseconds, for log lines.
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
