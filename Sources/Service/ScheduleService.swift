import HTTPServer
import JSON
import Schedules
import Training

/// Configuration of the service layer.
public struct ServiceConfiguration: Sendable {
    /// Limits on schedule requests (`--max-epochs`).
    public var limits = ScheduleLimits()
    /// The largest accepted request body, reported in 413 answers (`--max-body-bytes`).
    public var maxBodyBytes = 1_048_576
    /// Limits on training runs (`--max-training-work`).
    public var trainingLimits = TrainingLimits()
    /// The Prometheus text exposition of the process's metrics, served at `GET /metrics`
    /// (`nil`: the route answers 404).
    public var metricsExposition: (@Sendable () -> [UInt8])?
    /// How many training runs may execute at once; further ones get 503 with `Retry-After`
    /// (`--max-concurrent-training`). Keep it below the server's thread count so that health
    /// checks and schedule requests are always served.
    public var maxConcurrentTrainingRuns = 1
    /// How many training runs may wait for a slot when the server defers them
    /// (`--training-queue`); beyond that they get 503.
    public var trainingQueueLength = 8
    /// How long a training run may wait in the queue before it is answered 503
    /// (`--training-queue-timeout`).
    public var trainingQueueTimeout: Duration = .seconds(10)
    /// Schedule requests whose work (`ScheduleRequest.work`, summed over a batch) exceeds this
    /// are evaluated and rendered off the connection threads, so that the probes and cheap
    /// requests those threads serve never wait behind them (`--inline-work`).
    public var inlineWork = 20_000
    /// Expensive evaluations that may run at once (`--evaluation-workers`).
    public var evaluationWorkers = 2
    /// Expensive evaluations that may wait for a worker; beyond that they get 503 at once,
    /// before any work (`--evaluation-queue`).
    public var evaluationQueueLength = 32
    /// How long an expensive evaluation may wait before it is answered 503.
    public var evaluationQueueTimeout: Duration = .seconds(5)
    /// How long every evaluation worker and the whole queue must stay taken before `/readyz`
    /// answers 503 `saturated`, so that a load balancer prefers another replica (it turns 200 again
    /// once the queue is down to half).
    public var saturationPeriod: Duration = .seconds(2)
    /// The server's ledger of answers in memory (`--response-memory-bytes`, shared with the
    /// HTTP server): a request whose answer would pass its budget, alone or with the answers
    /// already held and being computed, is refused 503 before it is evaluated.
    public var responseMemory = ResponseMemory()

    /// Bytes of computed answers kept for repeated requests (`--answer-cache-bytes`; 0: none).
    public var answerCacheBytes = 64 * 1024 * 1024

    /// The default configuration.
    public init() {}
}

/// What lrsched's routes share and call: decoding a request, evaluating it, answering with a
/// typed `Answer` that a renderer encodes (problems as problem+json); the executors that run
/// expensive work off the connection threads; readiness and metrics.
///
/// The routes themselves are rows of `Router.lrsched` (`Routing/Routes.swift`); `Application`
/// puts them, the middleware and this service together. `Sendable`: one instance serves every
/// server thread.
public final class ScheduleService: Sendable {
    /// The service's configuration.
    public let configuration: ServiceConfiguration
    let trainingExecutor: JobExecutor
    /// Runs expensive schedule evaluations off the connection threads.
    let evaluationExecutor: JobExecutor
    /// Flipped when a stop begins: `/readyz` then answers 503.
    public let readiness = Readiness()
    /// Request, schedule and training counters (see `ServiceMetrics`).
    public let metrics: ServiceMetrics

    /// A service with `configuration` (request metrics are labelled by `Router.lrsched`'s routes).
    public init(configuration: ServiceConfiguration = ServiceConfiguration()) {
        self.configuration = configuration
        self.metrics = ServiceMetrics(routes: Router.lrsched.labels)
        self.trainingExecutor = JobExecutor(
            limit: configuration.maxConcurrentTrainingRuns,
            queueLength: configuration.trainingQueueLength,
            queueTimeout: configuration.trainingQueueTimeout
        )
        self.evaluationExecutor = JobExecutor(
            limit: configuration.evaluationWorkers,
            queueLength: configuration.evaluationQueueLength,
            queueTimeout: configuration.evaluationQueueTimeout,
            name: "evaluation"
        )
    }

    /// Renders an answer to the request `id`, a problem stamped with the id as its `instance`
    /// (`RequestIDMiddleware` adds the `X-Request-ID` header).
    static func send(_ answer: Answer, id: String) -> HTTPResponse {
        Renderer.response(RequestID.stamp(answer, id: id))
    }

    /// Stops running training runs at their next step and answers queued ones 503 (a stopping
    /// server calls it when its grace period ends).
    public func cancelTraining() {
        trainingExecutor.cancelAll()
        evaluationExecutor.cancelAll()
    }

    /// `GET /readyz`: ready until a stop begins (`draining`) or while the evaluation pool has
    /// stayed full for the saturation period (`saturated`).
    func readinessAnswer() -> Answer {
        if !readiness.isReady { return .readiness(ready: false, status: "draining") }
        if evaluationExecutor.saturated(for: configuration.saturationPeriod) {
            return .readiness(ready: false, status: "saturated")
        }
        return .readiness(ready: true, status: "ready")
    }

    /// `GET /metrics`: the exposition, or 404 when this process exports none.
    func metricsAnswer() -> Answer {
        guard let exposition = configuration.metricsExposition else {
            return .problem(Problem(.notFound, detail: "metrics are not enabled in this process"))
        }
        return .metrics(exposition())
    }

    /// The answer to a request the transport refused before routing (size and framing guards).
    public func reject(_ rejection: HTTPRejection) -> HTTPResponse {
        let problem: Problem
        switch rejection {
        case .bodyTooLarge(let limit):
            problem = Problem(
                .bodyTooLarge,
                detail: "the request body exceeds the limit of \(limit) bytes",
                extensions: [("limit", .integer(limit))]
            )
        case .duplicateContentLength:
            problem = Problem(.badRequest, detail: "more than one Content-Length header")
        case .transferEncodingWithContentLength:
            problem = Problem(.badRequest, detail: "Transfer-Encoding and Content-Length must not both be sent")
        case .unsupportedTransferEncoding(let value):
            problem = Problem(
                .badRequest,
                detail: "unsupported Transfer-Encoding \"\(value)\"; only chunked is accepted"
            )
        case .invalidContentLength(let value):
            problem = Problem(.badRequest, detail: "invalid Content-Length \"\(value)\"")
        case .invalidHeaderName(let name):
            problem = Problem(
                .badRequest,
                detail:
                    "invalid header name \"\(printable(name))\": only token characters are allowed (no spaces before the colon)"
            )
        case .invalidHeaderValue(let name):
            problem = Problem(
                .badRequest,
                detail: "the value of header \"\(printable(name))\" contains a control character"
            )
        case .missingHost:
            problem = Problem(.badRequest, detail: "an HTTP/1.1 request needs a Host header")
        case .duplicateHost:
            problem = Problem(.badRequest, detail: "more than one Host header")
        case .transferEncodingInHTTP10:
            problem = Problem(.badRequest, detail: "Transfer-Encoding is not allowed in an HTTP/1.0 request")
        case .responseMemoryExhausted(let limit):
            problem = Problem.busy(
                "answers waiting for slow clients already hold \(limit) bytes; retry in a moment or ask for fewer epochs"
            )
        case .malformedLine:
            problem = Problem(
                .badRequest,
                detail: "a line of the request head ends with a bare LF (not CRLF) or contains a NUL byte"
            )
        case .invalidMethod(let method):
            problem = Problem(.badRequest, detail: "invalid request method \"\(printable(method))\"")
        }
        return JSONRenderer.response(.problem(problem))
    }

    /// Parses a request body, mapping empty and malformed bodies to 400 problems.
    func parseBody(_ body: [UInt8]) throws(Problem) -> JSONValue {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw Problem(.malformedJSON, detail: "the request body is empty; send a JSON object")
        }
        do {
            return try JSONParser.parse(body)
        } catch {
            throw Problem(error)
        }
    }
}

/// `text` with control characters shown as `\u{…}` escapes, for error details.
func printable(_ text: String) -> String {
    String(
        text.unicodeScalars.prefix(100).flatMap { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F
                ? Array("\\u{\(String(scalar.value, radix: 16))}") : [Character(scalar)]
        }
    )
}
