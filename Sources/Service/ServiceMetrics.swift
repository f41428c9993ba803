import HTTPServer
import Metrics
import Schedules

/// The service's metrics, through swift-metrics (the executable exports them for Prometheus).
///
/// Label values come from fixed sets only: route names (never raw paths), a handful of methods,
/// status codes, family names, outcomes. So no client can create new series.
public struct ServiceMetrics: Sendable {
    /// Route names, in `routeName(for:)`'s words.
    static let routes = [
        "playground", "healthz", "readyz", "metrics", "openapi", "schedulers", "schedules", "schedules_batch",
        "training_runs", "not_found",
    ]
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    private let durations: [String: Timer]
    private let bytesIn: [String: Counter]
    private let bytesOut: [String: Counter]
    private let inFlight = Meter(label: "lrsched_http_requests_in_flight")
    private let evaluated: [String: Counter]
    private let epochs: [String: Counter]
    private let training: [String: Counter]
    /// `lrsched_http_requests_total` handles by label set (bounded: routes × methods × statuses).
    private let requests = Locked<[RequestKey: Counter]>([:])

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    /// Creates the service's metric handles (with whatever factory the process bootstrapped).
    public init() {
        func table<M>(_ keys: [String], _ make: (String) -> M) -> [String: M] {
            Dictionary(uniqueKeysWithValues: keys.map { ($0, make($0)) })
        }
        durations = table(Self.routes) {
            Timer(label: "lrsched_http_request_duration_seconds", dimensions: [("route", $0)])
        }
        bytesIn = table(Self.routes) {
            Counter(label: "lrsched_http_request_body_bytes_total", dimensions: [("route", $0)])
        }
        bytesOut = table(Self.routes) {
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
    }

    /// The route name of a path: a fixed label, never the path itself.
    public static func routeName(for path: String) -> String {
        switch path {
        case "/": "playground"
        case "/healthz": "healthz"
        case "/readyz": "readyz"
        case "/metrics": "metrics"
        case "/openapi.yaml": "openapi"
        case "/v1/schedulers": "schedulers"
        case "/v1/schedules": "schedules"
        case "/v1/schedules/batch": "schedules_batch"
        case "/v1/training-runs": "training_runs"
        default: "not_found"
        }
    }

    /// A request has arrived.
    public func begin() {
        inFlight.increment()
    }

    /// A request of `route` has been answered with `status` after `duration`.
    public func end(route: String, method: String, status: Int, bytesIn: Int, bytesOut: Int, duration: Duration) {
        inFlight.decrement()
        let methodLabel = Self.methods.contains(method) ? method : "other"
        let key = RequestKey(route: route, method: methodLabel, status: status)
        let counter =
            requests.withLock { $0[key] }
            ?? {
                let made = Counter(
                    label: "lrsched_http_requests_total",
                    dimensions: [("route", route), ("method", methodLabel), ("status", String(status))]
                )
                requests.withLock { $0[key] = made }
                return made
            }()
        counter.increment()
        durations[route]?.recordNanoseconds(duration.nanoseconds)
        self.bytesIn[route]?.increment(by: bytesIn)
        self.bytesOut[route]?.increment(by: bytesOut)
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
}

extension Duration {
    /// Whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
