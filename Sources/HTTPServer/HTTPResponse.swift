import HTTPTypes

/// An HTTP response produced by a handler.
///
/// libmicrohttpd writes `Content-Length` and `Date` itself; a `Content-Length` or
/// `Transfer-Encoding` header set here is ignored. Headers whose name or value holds
/// a CR, LF or NUL byte (or whose name is empty or holds a space or tab) are dropped.
/// A status outside `200...999` is replaced by a plain 500 reply.
public struct HTTPResponse: Sendable {
    /// The status, e.g. `.ok`.
    public var status: HTTPStatus
    /// Response headers in the order they are sent.
    public var headerFields: HTTPFields
    /// The response body; any size.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPStatus, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }
}
