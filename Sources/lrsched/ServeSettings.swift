import ArgumentParser
import HTTPServer
import Logging
import Service

extension Serve {
    /// Everything `serve` runs with, resolved from flags and the environment.
    struct Settings {
        var server = HTTPServerConfiguration()
        var service = ServiceConfiguration()
        var grace = 10
        var drain = 5
        var level = Logger.Level.info
        var format = LogFormat.text
    }

    /// The settings from flags, then the environment, then defaults; a value out of range is a
    /// usage error naming its flag and variable.
    func resolveSettings() throws -> Settings {
        var server = HTTPServerConfiguration()
        let cores = server.threads
        let u32 = Int(UInt32.max)
        server.host = try setting(host, flag: "--host", env: "LRSCHED_HOST", default: "127.0.0.1")
        guard Daemon.isAddressLiteral(server.host) else {
            throw ValidationError(
                "--host / LRSCHED_HOST must be an IPv4 or IPv6 address literal or localhost, got \"\(server.host)\""
            )
        }
        // PORT is what platforms inject; LRSCHED_PORT (or --port) wins over it.
        let platformPort = try setting(nil, flag: "--port", env: "PORT", default: 8080, in: 0...65535)
        server.port = try setting(port, flag: "--port", env: "LRSCHED_PORT", default: platformPort, in: 0...65535)
        server.threads = try setting(threads, flag: "--threads", env: "LRSCHED_THREADS", default: cores, in: 1...1024)
        server.maxBodyBytes = try setting(
            maxBodyBytes,
            flag: "--max-body-bytes",
            env: "LRSCHED_MAX_BODY_BYTES",
            default: 1_048_576,
            in: 1...(1 << 30)
        )
        server.connectionLimit = try setting(
            maxConnections,
            flag: "--max-connections",
            env: "LRSCHED_MAX_CONNECTIONS",
            default: 1000,
            in: 1...u32
        )
        server.requestHeadTimeoutSeconds = Double(
            try setting(
                requestHeadTimeout,
                flag: "--request-head-timeout",
                env: "LRSCHED_REQUEST_HEAD_TIMEOUT",
                default: 10,
                in: 0...86_400
            )
        )
        server.responseMemoryBudgetBytes = try setting(
            responseMemoryBytes,
            flag: "--response-memory-bytes",
            env: "LRSCHED_RESPONSE_MEMORY_BYTES",
            default: 128 * 1024 * 1024,
            in: 1...Int.max
        )
        server.minimumBodyBytesPerSecond = try setting(
            minBodyRate,
            flag: "--min-body-rate",
            env: "LRSCHED_MIN_BODY_RATE",
            default: 1024,
            in: 0...Int.max
        )
        server.perAddressConnectionLimit = try setting(
            maxConnectionsPerAddress,
            flag: "--max-connections-per-address",
            env: "LRSCHED_MAX_CONNECTIONS_PER_ADDRESS",
            default: 64,
            in: 0...u32
        )
        server.connectionTimeoutSeconds = try setting(
            connectionTimeout,
            flag: "--connection-timeout",
            env: "LRSCHED_CONNECTION_TIMEOUT",
            default: 30,
            in: 0...u32
        )
        let grace = try setting(
            shutdownGrace,
            flag: "--shutdown-grace",
            env: "LRSCHED_SHUTDOWN_GRACE",
            default: 10,
            in: 0...86_400
        )
        let drain = try setting(drainDelay, flag: "--drain-delay", env: "LRSCHED_DRAIN_DELAY", default: 5, in: 0...3600)
        let levels = Logger.Level.allCases.map(\.rawValue)
        let levelName = try setting(
            logLevel,
            flag: "--log-level",
            env: "LRSCHED_LOG_LEVEL",
            default: "info",
            allowed: levels
        )
        var serviceConfiguration = ServiceConfiguration()
        serviceConfiguration.responseMemory = server.responseMemory
        serviceConfiguration.maxBodyBytes = server.maxBodyBytes
        try schedules.apply(to: &serviceConfiguration)
        try training.apply(to: &serviceConfiguration)
        serviceConfiguration.maxConcurrentTrainingRuns = try setting(
            maxConcurrentTraining,
            flag: "--max-concurrent-training",
            env: "LRSCHED_MAX_CONCURRENT_TRAINING",
            default: max(1, server.threads - 1),
            in: 1...1024
        )
        serviceConfiguration.trainingQueueLength = try setting(
            trainingQueue,
            flag: "--training-queue",
            env: "LRSCHED_TRAINING_QUEUE",
            default: 8,
            in: 0...100_000
        )
        serviceConfiguration.inlineWork = try setting(
            inlineWork,
            flag: "--inline-work",
            env: "LRSCHED_INLINE_WORK",
            default: 20_000,
            in: 0...Int.max
        )
        serviceConfiguration.evaluationWorkers = try setting(
            evaluationWorkers,
            flag: "--evaluation-workers",
            env: "LRSCHED_EVALUATION_WORKERS",
            default: cores,
            in: 1...1024
        )
        serviceConfiguration.evaluationQueueLength = try setting(
            evaluationQueue,
            flag: "--evaluation-queue",
            env: "LRSCHED_EVALUATION_QUEUE",
            default: 32,
            in: 0...100_000
        )
        serviceConfiguration.answerCacheBytes = try setting(
            answerCacheBytes,
            flag: "--answer-cache-bytes",
            env: "LRSCHED_ANSWER_CACHE_BYTES",
            default: 64 * 1024 * 1024,
            in: 0...(1 << 40)
        )
        serviceConfiguration.trainingQueueTimeout = .seconds(
            try setting(
                trainingQueueTimeout,
                flag: "--training-queue-timeout",
                env: "LRSCHED_TRAINING_QUEUE_TIMEOUT",
                default: 10,
                in: 0...86_400
            )
        )
        let formatName = try setting(
            logFormat,
            flag: "--log-format",
            env: "LRSCHED_LOG_FORMAT",
            default: "text",
            allowed: LogFormat.allCases.map(\.rawValue)
        )
        return Settings(
            server: server,
            service: serviceConfiguration,
            grace: grace,
            drain: drain,
            level: Logger.Level(rawValue: levelName.lowercased()) ?? .info,
            format: LogFormat(rawValue: formatName.lowercased()) ?? .text
        )
    }
}
