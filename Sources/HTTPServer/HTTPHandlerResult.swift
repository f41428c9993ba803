/// What a handler answers: a response now, or a response later, from another thread.
///
/// `.deferred` frees the worker thread: the connection is suspended (other connections on that
/// thread keep being served) until `start`'s `respond` is called, exactly once, from any thread.
/// Long work (a training run) runs elsewhere and answers when it is done.
public enum HTTPHandlerResult: Sendable {
    /// Answer now.
    case response(HTTPResponse)
    /// Answer later: `start` is called at once on the worker thread and must not block; it hands
    /// `respond` to whatever will produce the response.
    case deferred(@Sendable (_ respond: @escaping @Sendable (HTTPResponse) -> Void) -> Void)
}

extension HTTPHandlerResult {
    /// The same result with `transform(state, &response)` applied to its response: at once for
    /// `.response`, when it comes for `.deferred` (on the thread that delivers it). Middleware
    /// uses it to see or stamp every answer the same way, now or later. What the transform needs
    /// comes in `state`, so a transform that captures nothing costs no allocation for answers
    /// given now (the common case); only a deferred answer keeps `state` in a closure. Inlinable,
    /// so each middleware's call is specialized to its `State`.
    @inlinable
    public consuming func map<State: Sendable>(
        with state: State,
        _ transform: @escaping @Sendable (State, inout HTTPResponse) -> Void
    ) -> HTTPHandlerResult {
        // Consumed, so the response is the only reference to its header storage and the
        // transform's changes need no copy of it.
        switch consume self {
        case .response(var response):
            transform(state, &response)
            return .response(response)
        case .deferred(let start):
            return .deferred { respond in
                start { response in
                    var response = response
                    transform(state, &response)
                    respond(response)
                }
            }
        }
    }
}
