import HTTPServer
import Metrics
import Schedules

/// The service's metrics, through swift-metrics (the executable exports them for Prometheus).
///
/// Label values come from fixed sets only: route names (never raw paths), a handful of methods,
/// status codes, family names, outcomes. So no client can create new series.
public struct ServiceMetrics: Sendable {
    /// The routes that label request metrics; an unknown path is `notFound`.
    public enum Route: Int, CaseIterable, Sendable {
        case playground, healthz, readyz, metrics, openapi, schedulers, schedules, schedulesBatch, trainingRuns
        case notFound

        /// The label value and log name: `schedules_batch`, `training_runs`, `not_found`, ...
        public var name: String {
            switch self {
            case .playground: "playground"
            case .healthz: "healthz"
            case .readyz: "readyz"
            case .metrics: "metrics"
            case .openapi: "openapi"
            case .schedulers: "schedulers"
            case .schedules: "schedules"
            case .schedulesBatch: "schedules_batch"
            case .trainingRuns: "training_runs"
            case .notFound: "not_found"
            }
        }
    }

    /// Method label values; any other method is `other`.
    static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"]

    /// Handles are looked up by index on every request (no hashing of label strings).
    private let durations: [Timer]
    private let bytesIn: [Counter]
    private let bytesOut: [Counter]
    private let inFlight = Meter(label: "lrsched_http_requests_in_flight")
    private let evaluated: [String: Counter]
    private let epochs: [String: Counter]
    private let training: [String: Counter]
    private let offloaded: [String: Counter]
    private let evaluationQueue = Gauge(label: "lrsched_evaluation_queue_depth")
    private let evaluationsRunning = Gauge(label: "lrsched_evaluations_running")
    private let evaluationWait = Timer(label: "lrsched_evaluation_queue_wait_seconds")
    /// `lrsched_http_requests_total` handles by route, method and status (bounded: routes ×
    /// methods × statuses), made on first use.
    private let requests = Locked<[Int: Counter]>([:])

    /// Creates the service's metric handles (with whatever factory the process bootstrapped).
    public init() {
        func table<M>(_ keys: [String], _ make: (String) -> M) -> [String: M] {
            Dictionary(uniqueKeysWithValues: keys.map { ($0, make($0)) })
        }
        let routes = Route.allCases.map(\.name)
        durations = routes.map { Timer(label: "lrsched_http_request_duration_seconds", dimensions: [("route", $0)]) }
        bytesIn = routes.map { Counter(label: "lrsched_http_request_body_bytes_total", dimensions: [("route", $0)]) }
        bytesOut = routes.map {
            Counter(label: "lrsched_http_response_body_bytes_total", dimensions: [("route", $0)])
        }
        let families = Registry.families.map(\.name)
        evaluated = table(families) {
            Counter(label: "lrsched_schedules_evaluated_total", dimensions: [("family", $0)])
        }
        epochs = table(families) { Counter(label: "lrsched_schedule_epochs_total", dimensions: [("family", $0)]) }
        training = table(["started", "finished", "diverged", "failed", "busy"]) {
            Counter(label: "lrsched_training_runs_total", dimensions: [("outcome", $0)])
        }
        offloaded = table(["run", "queue_full", "waited_too_long", "too_large"]) {
            Counter(label: "lrsched_schedule_evaluations_offloaded_total", dimensions: [("outcome", $0)])
        }
    }

    /// The route of a path: a fixed label, never the path itself.
    public static func route(for path: String) -> Route {
        switch path {
        case "/": .playground
        case "/healthz": .healthz
        case "/readyz": .readyz
        case "/metrics": .metrics
        case "/openapi.yaml": .openapi
        case "/v1/schedulers": .schedulers
        case "/v1/schedules": .schedules
        case "/v1/schedules/batch": .schedulesBatch
        case "/v1/training-runs": .trainingRuns
        default: .notFound
        }
    }

    /// The index of a method's label in ``methods``.
    static func methodIndex(_ method: String) -> Int {
        switch method {
        case "GET": 0
        case "HEAD": 1
        case "POST": 2
        case "PUT": 3
        case "PATCH": 4
        case "DELETE": 5
        case "OPTIONS": 6
        default: 7
        }
    }

    /// A request has arrived.
    public func begin() {
        inFlight.increment()
    }

    /// A request of `route` has been answered with `status` after `duration`.
    public func end(route: Route, method: String, status: Int, bytesIn: Int, bytesOut: Int, duration: Duration) {
        inFlight.decrement()
        let methodIndex = Self.methodIndex(method)
        let key = (route.rawValue * Self.methods.count + methodIndex) << 16 | (status & 0xFFFF)
        let counter =
            requests.withLock { $0[key] }
            ?? {
                let made = Counter(
                    label: "lrsched_http_requests_total",
                    dimensions: [
                        ("route", route.name), ("method", Self.methods[methodIndex]), ("status", String(status)),
                    ]
                )
                requests.withLock { $0[key] = made }
                return made
            }()
        counter.increment()
        durations[route.rawValue].recordNanoseconds(duration.nanoseconds)
        self.bytesIn[route.rawValue].increment(by: bytesIn)
        self.bytesOut[route.rawValue].increment(by: bytesOut)
    }

    /// A schedule of `family` was evaluated over `epochs` epochs.
    func evaluated(family: String, epochs count: Int) {
        evaluated[family]?.increment()
        epochs[family]?.increment(by: count)
    }

    /// A training run reached `outcome` (`started`, `finished`, `diverged`, `failed`, `busy`).
    func training(_ outcome: String) {
        training[outcome]?.increment()
    }

    /// An expensive schedule evaluation sent to the evaluation executor (`run`), refused at once
    /// because its queue was full (or the server is stopping: `queue_full`), or answered busy
    /// after waiting longer than the queue deadline (`waited_too_long`).
    func offloaded(_ outcome: String) {
        offloaded[outcome]?.increment()
    }

    /// The evaluation pool's load now: evaluations running and waiting.
    func evaluationLoad(running: Int, queued: Int) {
        evaluationsRunning.record(running)
        evaluationQueue.record(queued)
    }

    /// How long an offloaded evaluation waited for a worker.
    func evaluationWaited(_ duration: Duration) {
        evaluationWait.recordNanoseconds(duration.nanoseconds)
    }
}

extension Duration {
    /// Whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
