import Dispatch
import HTTPServer

/// lrsched as one application: the route table, the middleware every request passes through
/// (request id, metrics, the access log when one is given, the answer cache) and the service the
/// routes call.
///
/// `lrsched serve` hands ``respond(to:)`` and ``reject(_:)`` to the HTTP server; the tests call
/// the same ``respond(to:)`` (or ``handle(_:)``, which waits for a deferred answer) in-process,
/// so what they check is what the server runs.
public struct Application: Sendable {
    /// The routes' shared state: configuration, executors, readiness and metrics.
    public let service: ScheduleService
    private let router: Router
    private let chain: Responder
    /// Answers kept for repeated requests.
    let answerCache: AnswerCache

    /// The application over `configuration`, writing one access record per answer to
    /// `accessLog` when given.
    public init(configuration: ServiceConfiguration = ServiceConfiguration(), accessLog: (any AccessLogSink)? = nil) {
        let router = Router.lrsched
        let service = ScheduleService(configuration: configuration)
        var middleware: [any Middleware] = [RequestIDMiddleware(), MetricsMiddleware(metrics: service.metrics)]
        if let accessLog { middleware.append(AccessLogMiddleware(sink: accessLog)) }
        let answerCache = AnswerCache(budget: configuration.answerCacheBytes)
        middleware.append(
            CacheMiddleware(
                cache: answerCache,
                seed: ETag.hash(ETag.fingerprint(configuration), from: ETag.offsetBasis),
                routes: router.routes,
                metrics: service.metrics
            )
        )
        let endpoint: Responder = { request, context in
            switch router.reply(to: request, at: context.routeIndex, service: service) {
            case .now(let answer):
                return .response(ScheduleService.send(answer, id: context.requestID))
            case .later(let start):
                let id = context.requestID
                return .deferred { respond in start { answer in respond(ScheduleService.send(answer, id: id)) } }
            }
        }
        self.service = service
        self.router = router
        self.answerCache = answerCache
        self.chain = middleware.reversed().reduce(endpoint) { next, step in
            { request, context in step.respond(to: request, context: context, next: next) }
        }
    }

    /// Answers one request: routed once, through the middleware, now or later.
    public func respond(to request: HTTPRequest) -> HTTPHandlerResult {
        let index = router.index(of: request.path)
        let context = RequestContext(routeName: router.labels[index], routeIndex: index, started: .now)
        return chain(request, context)
    }

    /// Answers one request and waits for a deferred answer (tests, benchmarks, the CLI).
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch respond(to: request) {
        case .response(let response):
            return response
        case .deferred(let start):
            let done = DispatchSemaphore(value: 0)
            let answer = Locked<HTTPResponse?>(nil)
            start { response in
                answer.withLock { $0 = response }
                done.signal()
            }
            done.wait()
            return answer.withLock { $0! }
        }
    }

    /// The answer to a request the transport refused before routing (size and framing guards).
    public func reject(_ rejection: HTTPRejection) -> HTTPResponse {
        service.reject(rejection)
    }
}
