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
    /// The server's budget for answers held for clients (`--response-memory-bytes`): a request
    /// whose answer would alone exceed it is refused 503 before it is evaluated.
    public var answerBudgetBytes = 128 * 1024 * 1024

    /// The default configuration.
    public init() {}
}

/// A schedule request decoded, with what evaluating (and rendering) it costs, before it runs.
struct PreparedEvaluation: Sendable {
    /// The request's work (`ScheduleRequest.work`, summed over a batch).
    let work: Int
    /// The learning rates its answer holds (values × parameter groups, summed over a batch):
    /// about 20 bytes each in JSON or CSV (momentums, when a schedule moves them, double it).
    var numbers = 0
    /// Evaluates it into its answer.
    let run: @Sendable () -> Answer
}

/// What is known of a schedule request before evaluation: its answer already (a problem), or
/// the evaluation still to run.
enum Preparation: Sendable {
    case answered(Answer)
    case prepared(PreparedEvaluation)
}

/// lrsched's routes: decode a request, evaluate it, answer with a typed `Answer` that
/// `JSONRenderer` encodes (problems as problem+json).
///
/// `GET /healthz` → `{"status":"ok","version":…}` (liveness); `GET /readyz` → 200 until a stop
/// begins, then 503 (readiness); `GET /v1/schedulers` → the catalogue of families,
/// schedulers and parameters; `POST /v1/schedules` → per-step learning rates;
/// `POST /v1/training-runs` → a simulated training run's learning rates and losses.
/// Stateless and `Sendable`: one instance serves every server thread.
public struct ScheduleService: Sendable {
    /// The service's configuration.
    public let configuration: ServiceConfiguration
    let trainingGate: TrainingGate
    let trainingExecutor: TrainingExecutor
    /// Runs expensive schedule evaluations off the connection threads.
    let evaluationExecutor: TrainingExecutor
    /// Flipped when a stop begins: `/readyz` then answers 503.
    public let readiness = Readiness()
    /// Request, schedule and training counters (see `ServiceMetrics`).
    public let metrics = ServiceMetrics()

    /// A service with `configuration`.
    public init(configuration: ServiceConfiguration = ServiceConfiguration()) {
        self.configuration = configuration
        self.trainingGate = TrainingGate(limit: configuration.maxConcurrentTrainingRuns)
        self.trainingExecutor = TrainingExecutor(
            limit: configuration.maxConcurrentTrainingRuns,
            queueLength: configuration.trainingQueueLength,
            queueTimeout: configuration.trainingQueueTimeout
        )
        self.evaluationExecutor = TrainingExecutor(
            limit: configuration.evaluationWorkers,
            queueLength: configuration.evaluationQueueLength,
            queueTimeout: configuration.evaluationQueueTimeout,
            name: "evaluation"
        )
    }

    /// Routes one HTTP request.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        handle(request, id: RequestID.of(request))
    }

    /// Routes one HTTP request whose id is `id`: the answer carries it in `X-Request-ID` and, for
    /// a problem, in `instance`.
    public func handle(_ request: HTTPRequest, id: String) -> HTTPResponse {
        Self.sender(id: id)(answer(to: request))
    }

    /// Sends an answer to the request `id`: rendered, stamped with the id (a problem's
    /// `instance`) and carrying it in `X-Request-ID`.
    static func sender(id: String) -> @Sendable (Answer) -> HTTPResponse {
        { answer in
            var response = Renderer.response(RequestID.stamp(answer, id: id))
            response.headers.append((name: "X-Request-ID", value: id))
            return response
        }
    }

    /// Routes one HTTP request for a server: training runs are deferred to the training executor
    /// (the connection waits, its thread does not), everything else is answered at once.
    public func respond(to request: HTTPRequest, id: String? = nil) -> HTTPHandlerResult {
        let id = id ?? RequestID.of(request)
        if request.method == "POST", request.path == "/v1/schedules" || request.path == "/v1/schedules/batch" {
            return respondToSchedule(request, id: id)
        }
        guard request.path == "/v1/training-runs", request.method == "POST" else {
            return .response(handle(request, id: id))
        }
        let send = Self.sender(id: id)
        let training: TrainingRequest
        switch decodeTraining(body: request.body) {
        case .success(let decoded): training = decoded
        case .failure(let problem): return .response(send(.problem(problem)))
        }
        let executor = trainingExecutor
        let service = self
        return .deferred { respond in
            let job = TrainingExecutor.Job(
                enqueued: .now,
                run: { cancellation in service.run(training, cancellation: cancellation) },
                done: { answer in
                    if case .problem(let problem) = answer, problem.kind == .busy { service.metrics.training("busy") }
                    respond(send(answer))
                }
            )
            if !executor.submit(job) {
                service.metrics.training("busy")
                let (running, queued) = executor.load
                respond(
                    send(
                        .problem(
                            Problem.busy(
                                "\(running) training run(s) are running and \(queued) waiting; retry in a moment"
                            )
                        )
                    )
                )
            }
        }
    }

    /// A schedule or batch request: decoded on the connection's thread (its cost is then known),
    /// evaluated there when cheap, else deferred to the evaluation executor — or refused 503 at
    /// once, before any work, when its queue is full.
    func respondToSchedule(_ request: HTTPRequest, id: String) -> HTTPHandlerResult {
        let send = Self.sender(id: id)
        let presentation: Presentation
        do throws(Problem) {
            presentation = try Presentation.negotiate(query: request.query, accept: request.header("Accept"))
        } catch {
            return .response(send(.problem(error)))
        }
        let preparation =
            request.path == "/v1/schedules"
            ? prepareSchedule(body: request.body, presentation: presentation)
            : prepareBatch(body: request.body, presentation: presentation)
        let evaluation: PreparedEvaluation
        switch preparation {
        case .answered(let answer): return .response(send(answer))
        case .prepared(let prepared): evaluation = prepared
        }
        // An answer that alone would exceed the budget for held answers is refused before any work
        // (one that only adds up past it with others' is refused by the transport when sent).
        let estimate =
            presentation.format == .svg
            ? (partialValue: 0, overflow: false) : evaluation.numbers.multipliedReportingOverflow(by: 20)
        if estimate.overflow || estimate.partialValue > configuration.answerBudgetBytes {
            metrics.offloaded("too_large")
            return .response(
                send(
                    .problem(
                        Problem.busy(
                            "the answer would take about \(estimate.overflow ? Int.max : estimate.partialValue) bytes, over the \(configuration.answerBudgetBytes) this server holds for answers (--response-memory-bytes): ask for fewer values (every, at) or a chart"
                        )
                    )
                )
            )
        }
        if evaluation.work <= configuration.inlineWork { return .response(send(evaluation.run())) }
        let executor = evaluationExecutor
        let metrics = metrics
        return .deferred { respond in
            let enqueued = ContinuousClock.now
            let job = TrainingExecutor.Job(
                enqueued: enqueued,
                run: { _ in
                    metrics.evaluationWaited(.now - enqueued)
                    let (running, queued) = executor.load
                    metrics.evaluationLoad(running: running, queued: queued)
                    return evaluation.run()
                },
                done: { answer in
                    if case .problem(let problem) = answer, problem.kind == .busy {
                        metrics.offloaded("waited_too_long")
                    }
                    respond(send(answer))
                    // This job still holds its slot: the load once it is free.
                    let (running, queued) = executor.load
                    metrics.evaluationLoad(running: max(0, running - 1), queued: queued)
                }
            )
            if executor.submit(job) {
                metrics.offloaded("run")
                let (running, queued) = executor.load
                metrics.evaluationLoad(running: running, queued: queued)
            } else {
                metrics.offloaded("queue_full")
                let (running, queued) = executor.load
                respond(
                    send(
                        .problem(
                            Problem.busy(
                                "\(running) expensive evaluation(s) are running and \(queued) waiting; retry in a moment"
                            )
                        )
                    )
                )
            }
        }
    }

    /// Stops running training runs at their next step and answers queued ones 503 (a stopping
    /// server calls it when its grace period ends).
    public func cancelTraining() {
        trainingExecutor.cancelAll()
        evaluationExecutor.cancelAll()
    }

    /// The answer to one HTTP request.
    public func answer(to request: HTTPRequest) -> Answer {
        switch request.path {
        case "/healthz":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .problem(methodNotAllowed(request, allow: "GET, HEAD"))
            }
            return .health
        case "/":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .problem(methodNotAllowed(request, allow: "GET, HEAD"))
            }
            return .playground
        case "/openapi.yaml":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .problem(methodNotAllowed(request, allow: "GET, HEAD"))
            }
            return .openAPI
        case "/readyz":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .problem(methodNotAllowed(request, allow: "GET, HEAD"))
            }
            if !readiness.isReady { return .readiness(ready: false, status: "draining") }
            if evaluationExecutor.saturated(for: configuration.saturationPeriod) {
                return .readiness(ready: false, status: "saturated")
            }
            return .readiness(ready: true, status: "ready")
        case "/v1/schedulers":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .problem(methodNotAllowed(request, allow: "GET, HEAD"))
            }
            return .catalogue
        case "/v1/schedules", "/v1/schedules/batch":
            guard request.method == "POST" else {
                return .problem(methodNotAllowed(request, allow: "POST"))
            }
            // The format is settled before any evaluation, so a 406 costs nothing.
            let presentation: Presentation
            do throws(Problem) {
                presentation = try Presentation.negotiate(query: request.query, accept: request.header("Accept"))
            } catch {
                return .problem(error)
            }
            return request.path == "/v1/schedules"
                ? scheduleAnswer(body: request.body, presentation: presentation)
                : batchAnswer(body: request.body, presentation: presentation)
        case "/v1/training-runs":
            guard request.method == "POST" else {
                return .problem(methodNotAllowed(request, allow: "POST"))
            }
            guard let answer = trainingGate.run({ trainingAnswer(body: request.body) }) else {
                return .problem(
                    Problem.busy("\(trainingGate.limit) training run(s) are already running; retry in a moment")
                )
            }
            return answer
        case "/metrics":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .problem(methodNotAllowed(request, allow: "GET, HEAD"))
            }
            guard let exposition = configuration.metricsExposition else {
                return .problem(Problem(.notFound, detail: "metrics are not enabled in this process"))
            }
            return .metrics(exposition())
        default:
            return .problem(Problem(.notFound, detail: notFoundDetail(request.path)))
        }
    }

    /// Every route's path, for "did you mean" on a 404.
    static let paths = [
        "/", "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/v1/schedulers", "/v1/schedules",
        "/v1/schedules/batch", "/v1/training-runs",
    ]

    /// A 404's detail: the closest route when the path is a near miss (case, a trailing slash, a
    /// typo), as unknown fields get.
    func notFoundDetail(_ path: String) -> String {
        let shown = printable(path.count > 200 ? String(path.prefix(200)) + "…" : path)
        var candidate = path.lowercased()
        while candidate.count > 1 && candidate.hasSuffix("/") { candidate.removeLast() }
        let suggestion =
            Self.paths.first { $0 == candidate }
            ?? (path.count <= 64 ? closestMatch(to: candidate, in: Self.paths) : nil)
        if let suggestion, suggestion != path {
            return "no route for \(shown); did you mean \(suggestion)? GET /openapi.yaml describes the endpoints"
        }
        return "no route for \(shown); GET /openapi.yaml describes the endpoints"
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

    /// `POST /v1/schedules` on a raw body.
    public func scheduleAnswer(body: [UInt8], presentation: Presentation = .json) -> Answer {
        switch prepareSchedule(body: body, presentation: presentation) {
        case .answered(let answer): answer
        case .prepared(let evaluation): evaluation.run()
        }
    }

    /// The learning rates an answer to `request` holds: its values × parameter groups.
    static func numbers(of request: ScheduleRequest) -> Int {
        let values: Int
        switch request.selection {
        case .range: values = request.epochs
        case .every(let n): values = (request.epochs + n - 1) / n
        case .at(let steps): values = steps.count
        }
        let (total, overflow) = values.multipliedReportingOverflow(by: request.lrs.count)
        return overflow ? .max : total
    }

    /// `POST /v1/schedules` up to the evaluation: the body parsed and decoded, the problem answer
    /// if it is invalid, else the evaluation still to run and its work.
    func prepareSchedule(body: [UInt8], presentation: Presentation) -> Preparation {
        do throws(Problem) {
            let json = try parseBody(body)
            let request: ScheduleRequest
            do throws(ScheduleError) {
                request = try ScheduleRequest.decode(json, limits: configuration.limits)
            } catch {
                throw Problem(error)
            }
            if presentation.format == .svg, case .at = request.selection {
                throw Problem(
                    .invalidSpec,
                    detail:
                        "an at answer is a list of look-ups, not a curve: ask for JSON or CSV, or chart it with every"
                )
            }
            let params = json["params"]
            let metrics = metrics
            return .prepared(
                PreparedEvaluation(work: request.work, numbers: Self.numbers(of: request)) {
                    do throws(ScheduleError) {
                        var answer = ScheduleAnswer(request: request, values: try request.evaluate(), params: params)
                        metrics.evaluated(family: request.scheduler.family.name, epochs: request.epochs)
                        answer.presentation = presentation
                        return .schedule(answer)
                    } catch {
                        return .problem(Problem(error))
                    }
                }
            )
        } catch {
            return .answered(.problem(error))
        }
    }

    /// `POST /v1/schedules` (or, for a body with `requests`, `POST /v1/schedules/batch`) on a raw
    /// body: the status and the exact body the server sends (`lrsched eval` prints the same bytes).
    public func evaluateSchedule(body: [UInt8], presentation: Presentation = .json) -> (status: Int, body: [UInt8]) {
        let isBatch =
            if case .object(let object)? = try? JSONParser.parse(body) { object["requests"] != nil } else { false }
        let answer =
            isBatch
            ? batchAnswer(body: body, presentation: presentation)
            : scheduleAnswer(body: body, presentation: presentation)
        switch answer {
        case .schedule(let schedule): return (200, Renderer.body(schedule))
        case .batch(let batch): return (200, Renderer.body(batch))
        default: return (answer.status, JSONRenderer.body(answer))
        }
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

    private func methodNotAllowed(_ request: HTTPRequest, allow: String) -> Problem {
        Problem(
            .methodNotAllowed,
            detail: "\(request.method) is not allowed on \(request.path); allowed: \(allow)",
            headers: [(name: "Allow", value: allow)]
        )
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
