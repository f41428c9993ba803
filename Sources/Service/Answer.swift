import HTTPServer
import JSON
import Schedules
import Training

/// What a route answers, before it is encoded: routes build answers, a renderer turns them into
/// bytes (`JSONRenderer`), so a new output format is one renderer and no route changes.
///
/// The cases with large payloads are `indirect`: an answer passes through the middleware and
/// the renderer as one boxed reference, not as a copy of every array and string it holds.
public enum Answer: Sendable {
    /// `GET /healthz`.
    case health
    /// `GET /readyz`: whether the service wants new traffic, and why not (`draining`, `saturated`).
    case readiness(ready: Bool, status: String)
    /// The per-step values of one schedule request.
    indirect case schedule(ScheduleAnswer)
    /// The results of a batch of schedule requests (`POST /v1/schedules/batch`).
    indirect case batch(BatchAnswer)
    /// A finished training run.
    indirect case training(TrainingAnswer)
    /// `GET /v1/schedulers`: every family, scheduler and parameter.
    case catalogue
    /// `GET /openapi.yaml`: the API description.
    case openAPI
    /// `GET /`: the playground page.
    case playground
    /// `GET /metrics`: the Prometheus text exposition.
    case metrics([UInt8])
    /// An error, as RFC 9457 problem details.
    case problem(Problem)

    /// The HTTP status of the answer.
    public var status: HTTPStatus {
        switch self {
        case .problem(let problem): problem.kind.status
        case .readiness(let ready, _): ready ? 200 : 503
        default: 200
        }
    }
}

/// An evaluated schedule and the request it answers.
public struct ScheduleAnswer: Sendable {
    /// The validated request.
    public let request: ScheduleRequest
    /// Its values, one list per parameter group.
    public let values: ScheduleValues
    /// The request's `params` as sent (chart titles name them), or `nil`.
    public var params: JSONValue?
    /// The format the client asked for.
    public var presentation = Presentation.json

    /// An answer to `request`.
    public init(request: ScheduleRequest, values: ScheduleValues, params: JSONValue? = nil) {
        self.request = request
        self.values = values
        self.params = params
    }
}

/// A finished training run and the request it answers.
public struct TrainingAnswer: Sendable {
    /// The validated request.
    public let request: TrainingRequest
    /// What the run produced.
    public let result: TrainingResult
}
