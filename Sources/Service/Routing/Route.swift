import HTTPServer

/// What the application knows about a request besides the request: its id and its route, set
/// before any middleware runs, so the metrics and the access log name the route the router chose.
public struct RequestContext: Sendable {
    /// The id in the answer's `X-Request-ID`, a problem's `instance` and the access log line
    /// (set by `RequestIDMiddleware`; empty until then).
    public var requestID = ""
    /// The matched route's name (`schedules`, `training_runs`, …), or `not_found`: a fixed label,
    /// never the raw path.
    public let routeName: String
    /// The matched route's position in the route table (`Router.notFound` when none matched),
    /// for per-route metric handles.
    public let routeIndex: Int
    /// When the request reached the application.
    public let started: ContinuousClock.Instant
}

/// What a route's handler answers: an answer now, or one delivered later from another thread
/// (the connection waits suspended, its thread does not).
enum Reply: Sendable {
    /// Answer now, on the connection's thread.
    case now(Answer)
    /// Answer later: `start` is called at once, must not block, and hands `deliver` to the work
    /// that produces the answer (exactly once).
    case later(@Sendable (_ deliver: @escaping @Sendable (Answer) -> Void) -> Void)
}

/// One row of the route table: a path, the methods it takes, and the handler that answers.
///
/// `HEAD` is derived from `GET` (libmicrohttpd sends the head of the `GET` answer); any other
/// method on the path gets 405 with `Allow`; the name labels metrics and access-log lines.
struct Route: Sendable {
    /// The metrics label and log name (`schedules_batch`, `training_runs`, …).
    let name: String
    /// The exact path, without query.
    let path: String
    /// The methods the route answers (without the derived `HEAD`).
    let methods: [HTTPMethod]
    /// Whether its answer is a function of the request alone (for one build and its limits): its
    /// 200s then carry an `ETag` and are kept in the answer cache (`CacheMiddleware`).
    let cacheable: Bool
    /// Answers a request routed here.
    let handler: @Sendable (ScheduleService, HTTPRequest) -> Reply

    /// A route answering `methods` on `path`.
    init(
        _ name: String,
        _ path: String,
        _ methods: [HTTPMethod],
        cacheable: Bool = false,
        handler: @escaping @Sendable (ScheduleService, HTTPRequest) -> Reply
    ) {
        self.name = name
        self.path = path
        self.methods = methods
        self.cacheable = cacheable
        self.handler = handler
    }

    /// The methods it allows, `HEAD` included wherever `GET` is.
    var allowed: [HTTPMethod] {
        methods.contains(.get) && !methods.contains(.head) ? methods + [.head] : methods
    }

    /// Whether it answers `method`.
    func allows(_ method: HTTPMethod) -> Bool {
        methods.contains(method) || (method == .head && methods.contains(.get))
    }
}
