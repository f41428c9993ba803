import HTTPServer
import Metrics
import Schedules

/// The service's metrics, through swift-metrics (the executable exports them for Prometheus).
///
/// Label values come from fixed sets only: route names (never raw paths), a handful of methods,
/// status codes, family names, outcomes. So no client can create new series.
public final class ServiceMetrics: Sendable {
    /// The route labels, by route index (a route table's names, then `not_found`).
    let routes: [String]
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
    private let cacheHits = Counter(label: "lrsched_answer_cache_requests_total", dimensions: [("result", "hit")])
    private let cacheMisses = Counter(label: "lrsched_answer_cache_requests_total", dimensions: [("result", "miss")])
    private let cacheNotModified = Counter(
        label: "lrsched_answer_cache_requests_total",
        dimensions: [("result", "not_modified")]
    )
    private let cacheEvictions = Counter(label: "lrsched_answer_cache_evictions_total")
    private let cacheEntries = Gauge(label: "lrsched_answer_cache_entries")
    private let cacheBytes = Gauge(label: "lrsched_answer_cache_bytes")
    /// `lrsched_http_requests_total` handles by route, method and status (bounded: routes ×
    /// methods × statuses), made on first use.
    private let requests = Locked<[Int: Counter]>([:])

    /// Creates the service's metric handles (with whatever factory the process bootstrapped),
    /// labelling requests by `routes`: a route table's names, `not_found` last.
    init(routes: [String]) {
        self.routes = routes
        func table<M>(_ keys: [String], _ make: (String) -> M) -> [String: M] {
            Dictionary(uniqueKeysWithValues: keys.map { ($0, make($0)) })
        }
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
        offloaded = table(["run", "queue_full", "waited_too_long", "too_large", "memory_full"]) {
            Counter(label: "lrsched_schedule_evaluations_offloaded_total", dimensions: [("outcome", $0)])
        }
    }

    /// The index of a method's label in ``methods``.
    static func methodIndex(_ method: HTTPMethod) -> Int {
        switch method {
        case .get: 0
        case .head: 1
        case .post: 2
        case .put: 3
        case .patch: 4
        case .delete: 5
        case .options: 6
        default: 7
        }
    }

    /// A request has arrived.
    func begin() {
        inFlight.increment()
    }

    /// A request of the route at index `route` has been answered with `status` after `duration`.
    func end(route: Int, method: HTTPMethod, status: Int, bytesIn: Int, bytesOut: Int, duration: Duration) {
        inFlight.decrement()
        let methodIndex = Self.methodIndex(method)
        let key = (route * Self.methods.count + methodIndex) << 16 | (status & 0xFFFF)
        let counter =
            requests.withLock { $0[key] }
            ?? {
                let made = Counter(
                    label: "lrsched_http_requests_total",
                    dimensions: [
                        ("route", routes[route]), ("method", Self.methods[methodIndex]), ("status", String(status)),
                    ]
                )
                requests.withLock { $0[key] = made }
                return made
            }()
        counter.increment()
        durations[route].recordNanoseconds(duration.nanoseconds)
        self.bytesIn[route].increment(by: bytesIn)
        self.bytesOut[route].increment(by: bytesOut)
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
    /// after waiting longer than the queue deadline (`waited_too_long`); or refused before any work
    /// because its answer alone would pass the memory budget for answers (`too_large`) or would
    /// with the answers already in memory (`memory_full`).
    func offloaded(_ outcome: String) {
        offloaded[outcome]?.increment()
    }

    /// How a request of a cacheable route was answered.
    enum CacheResult {
        /// From the cache.
        case hit
        /// Computed.
        case miss
        /// 304 or 412 from its `If-None-Match`.
        case notModified
    }

    /// A request of a cacheable route was answered from the cache (`hit`), computed (`miss`), or
    /// answered 304/412 from its `If-None-Match` (`not_modified`).
    func cache(_ result: CacheResult) {
        switch result {
        case .hit: cacheHits.increment()
        case .miss: cacheMisses.increment()
        case .notModified: cacheNotModified.increment()
        }
    }

    /// The answer cache's size after a store, and the answers that store evicted.
    func cacheStored(entries: Int, bytes: Int, evicted: Int) {
        cacheEntries.record(entries)
        cacheBytes.record(bytes)
        if evicted > 0 { cacheEvictions.increment(by: evicted) }
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
