/// An HTTP response produced by a handler.
///
/// libmicrohttpd writes `Content-Length` and `Date` itself; a `Content-Length` or
/// `Transfer-Encoding` header set here is ignored. Headers whose name or value holds
/// a CR, LF or NUL byte (or whose name is empty or holds a space or tab) are dropped.
/// A status outside `200...999` is replaced by a plain 500 reply.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Response headers in the order they are sent.
    public var headers: [(name: String, value: String)]
    /// The response body; any size.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
