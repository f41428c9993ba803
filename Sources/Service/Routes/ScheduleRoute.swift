import HTTPServer
import JSON
import Schedules
import Synchronization

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

extension ScheduleService {
    /// Answers up to this size (64 KiB) are never refused for memory, here or when sent.
    static let alwaysAllowedAnswer = 64 * 1024

    /// `POST /v1/schedules` (or `/v1/schedules/batch` with `batch`): decoded on the connection's
    /// thread, where its cost becomes known; evaluated there when cheap, else deferred to the
    /// evaluation executor, or refused 503 at once, before any work, when its queue is full or
    /// its answer alone would exceed the budget for held answers.
    func schedule(_ request: HTTPRequest, batch: Bool) -> Reply {
        // The format is settled before any evaluation, so a 406 costs nothing.
        let presentation: Presentation
        do throws(Problem) {
            presentation = try Presentation.negotiate(
                query: request.query,
                accept: request.headerFields.valueIfPresent(.accept)
            )
        } catch {
            return .now(.problem(error))
        }
        var body = request.body
        if request.method != .post {
            guard let spec = QueryString.bytes(of: "spec", in: request.query) else {
                return .now(
                    .problem(
                        Problem(
                            .badRequest,
                            detail:
                                "GET /v1/schedules takes the request as ?spec= (its JSON, percent-encoded), e.g. /v1/schedules?spec=%7B%22scheduler%22%3A%22StepLR%22%2C%22lr%22%3A0.1%2C%22params%22%3A%7B%22step_size%22%3A10%7D%2C%22epochs%22%3A30%7D; or POST the JSON"
                        )
                    )
                )
            }
            body = spec
        }
        let preparation =
            batch
            ? prepareBatch(body: body, presentation: presentation)
            : prepareSchedule(body: body, presentation: presentation)
        let evaluation: PreparedEvaluation
        switch preparation {
        case .answered(let answer): return .now(answer)
        case .prepared(let prepared): evaluation = prepared
        }
        // The answer's size is known before any work: refused when it alone would pass the budget
        // for answers in memory, or when it would with the answers held for clients and being
        // computed now; else its bytes are reserved until it is handed to the server.
        let memory = configuration.responseMemory
        let estimate =
            presentation.format == .svg
            ? (partialValue: 0, overflow: false) : evaluation.numbers.multipliedReportingOverflow(by: 20)
        if estimate.overflow || estimate.partialValue > memory.budget {
            metrics.offloaded("too_large")
            return .now(
                .problem(
                    Problem.busy(
                        "the answer would take about \(estimate.overflow ? Int.max : estimate.partialValue) bytes, over the \(memory.budget) this server holds for answers (--response-memory-bytes): ask for fewer values (every, at) or a chart"
                    )
                )
            )
        }
        // Small answers always pass, as they do when sent: probes and errors are never refused.
        let reservation = estimate.partialValue > Self.alwaysAllowedAnswer ? estimate.partialValue : 0
        let metrics = metrics
        let memoryFull: @Sendable () -> Answer = {
            metrics.offloaded("memory_full")
            return .problem(
                Problem.busy(
                    "answers held for clients and being computed already take \(memory.bytesInUse) of the \(memory.budget) bytes this server keeps for answers; retry in a moment or ask for fewer values"
                )
            )
        }
        if evaluation.work <= configuration.inlineWork {
            guard reservation == 0 || memory.reserve(reservation) else { return .now(memoryFull()) }
            defer { memory.release(reservation) }
            return .now(evaluation.run())
        }
        // Refused at once when it would not fit now; its bytes are reserved when a worker takes
        // it (a queued job holds none), and a job that then finds no room is refused before work.
        guard reservation == 0 || memory.fits(reservation) else { return .now(memoryFull()) }
        let executor = evaluationExecutor
        return .later { deliver in
            let enqueued = ContinuousClock.now
            let state = JobMemory()
            let job = JobExecutor.Job(
                enqueued: enqueued,
                run: { _ in
                    metrics.evaluationWaited(.now - enqueued)
                    guard reservation == 0 || memory.reserve(reservation) else {
                        state.set(.refused)
                        return memoryFull()
                    }
                    state.set(.reserved)
                    let (running, queued) = executor.load
                    metrics.evaluationLoad(running: running, queued: queued)
                    return evaluation.run()
                },
                done: { answer in
                    let taken = state.value
                    if case .problem(let problem) = answer, problem.kind == .busy, taken == .waiting {
                        metrics.offloaded("waited_too_long")
                    }
                    deliver(answer)
                    if taken == .reserved { memory.release(reservation) }
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
                deliver(
                    .problem(
                        Problem.busy(
                            "\(running) expensive evaluation(s) are running and \(queued) waiting; retry in a moment"
                        )
                    )
                )
            }
        }
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
        default: return (answer.status.code, JSONRenderer.body(answer))
        }
    }

}

/// What became of a deferred evaluation's memory reservation: set on its worker, read when it is
/// done (a job answered without running never leaves `waiting`).
private final class JobMemory: Sendable {
    enum State: Int { case waiting, reserved, refused }
    private let raw = Atomic<Int>(State.waiting.rawValue)
    func set(_ state: State) { raw.store(state.rawValue, ordering: .releasing) }
    var value: State { State(rawValue: raw.load(ordering: .acquiring)) ?? .waiting }
}
