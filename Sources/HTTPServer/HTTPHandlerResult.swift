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
