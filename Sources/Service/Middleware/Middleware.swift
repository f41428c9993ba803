import HTTPServer

/// The rest of the chain after a middleware: the next middleware, finally the route.
public typealias Responder = @Sendable (HTTPRequest, RequestContext) -> HTTPHandlerResult

/// A step every request passes through on its way to its route and back: it may change the
/// context it passes on, and sees (or stamps) the response, whether it comes now or later
/// (`HTTPHandlerResult.map`).
public protocol Middleware: Sendable {
    /// Answers `request`, calling `next` for the rest of the chain.
    func respond(to request: HTTPRequest, context: RequestContext, next: Responder) -> HTTPHandlerResult
}

/// Gives each request its id (`RequestID.of`: the client's sane `X-Request-ID`, else a new one)
/// and sends it back in the answer's `X-Request-ID`.
struct RequestIDMiddleware: Middleware {
    func respond(to request: HTTPRequest, context: RequestContext, next: Responder) -> HTTPHandlerResult {
        var context = context
        let id = RequestID.of(request)
        context.requestID = id
        return next(request, context).map(with: id) { id, response in
            response.headerFields.append(HTTPField(name: .requestID, value: id))
        }
    }
}

/// Counts every request in the service's metrics: in flight, then by route, method and status,
/// with its duration and bytes.
struct MetricsMiddleware: Middleware {
    let metrics: ServiceMetrics

    func respond(to request: HTTPRequest, context: RequestContext, next: Responder) -> HTTPHandlerResult {
        metrics.begin()
        let state = Started(
            metrics: metrics,
            method: request.method,
            bytesIn: request.body.count,
            route: context.routeIndex,
            at: context.started
        )
        return next(request, context).map(with: state) { state, response in
            state.metrics.end(
                route: state.route,
                method: state.method,
                status: response.status.code,
                bytesIn: state.bytesIn,
                bytesOut: response.body.count,
                duration: .now - state.at
            )
        }
    }

    /// What the answer's count needs from the request (a struct: a tuple's type would be built at
    /// run time to copy and destroy it).
    struct Started: Sendable {
        let metrics: ServiceMetrics
        let method: HTTPMethod
        let bytesIn: Int
        let route: Int
        let at: ContinuousClock.Instant
    }
}

/// One answered request, as the access log records it.
public struct AccessRecord: Sendable {
    /// The request's id (`X-Request-ID`).
    public var requestID: String
    /// The method as sent.
    public var method: String
    /// The path as sent (log writers shorten and escape it).
    public var path: String
    /// The route's name, or `not_found`.
    public var route: String
    /// The answer's status code.
    public var status: Int
    /// The answer's body size.
    public var bytes: Int
    /// From arrival at the application to the answer.
    public var durationMicroseconds: Int64
    /// The client's address, or `-`.
    public var remote: String

    /// A record of these values.
    public init(
        requestID: String,
        method: String,
        path: String,
        route: String,
        status: Int,
        bytes: Int,
        durationMicroseconds: Int64,
        remote: String
    ) {
        self.requestID = requestID
        self.method = method
        self.path = path
        self.route = route
        self.status = status
        self.bytes = bytes
        self.durationMicroseconds = durationMicroseconds
        self.remote = remote
    }
}

/// Where access records go (the executable writes them as log lines).
public protocol AccessLogSink: Sendable {
    /// Records one answered request; called on the thread that answers it, so it must not block.
    func record(_ record: AccessRecord)
}

/// Hands one `AccessRecord` per answer to a sink.
struct AccessLogMiddleware: Middleware {
    let sink: any AccessLogSink

    func respond(to request: HTTPRequest, context: RequestContext, next: Responder) -> HTTPHandlerResult {
        // Only what the record needs outlives the request (not its body).
        let state = Arrival(
            sink: sink,
            method: request.method.rawValue,
            path: request.path,
            remote: request.remoteAddress ?? "-",
            context: context
        )
        return next(request, context).map(with: state) { state, response in
            state.sink.record(
                AccessRecord(
                    requestID: state.context.requestID,
                    method: state.method,
                    path: state.path,
                    route: state.context.routeName,
                    status: response.status.code,
                    bytes: response.body.count,
                    durationMicroseconds: (ContinuousClock.now - state.context.started).microseconds,
                    remote: state.remote
                )
            )
        }
    }

    /// What the record needs from the request (a struct: a tuple's type would be built at run
    /// time to copy and destroy it).
    struct Arrival: Sendable {
        let sink: any AccessLogSink
        let method: String
        let path: String
        let remote: String
        let context: RequestContext
    }
}

extension Duration {
    /// Whole microseconds (saturating), for log lines.
    public var microseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000_000
    }
}
