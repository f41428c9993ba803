/// Why the transport refused a request before it reached the handler.
///
/// The connection is always closed after the reply to a rejected request.
public enum HTTPRejection: Sendable, Equatable {
    /// The declared `Content-Length`, or the chunked body received so far, exceeds `limit` bytes (answer 413).
    case bodyTooLarge(limit: Int)
    /// More than one `Content-Length` header (answer 400).
    case duplicateContentLength
    /// Both `Transfer-Encoding` and `Content-Length` were sent (answer 400).
    case transferEncodingWithContentLength
    /// A `Transfer-Encoding` other than a single `chunked`; carries the value sent (answer 400).
    case unsupportedTransferEncoding(String)
    /// A `Content-Length` that is not a decimal number; carries the value sent (answer 400).
    case invalidContentLength(String)
    /// A header name that is not an RFC 9110 token (e.g. `Content-Length :` with a space before
    /// the colon, which other parsers read differently); carries the name sent (answer 400).
    case invalidHeaderName(String)
    /// A header value with a control character (NUL, CR, LF, ...); carries the header's name (answer 400).
    case invalidHeaderValue(name: String)
    /// An HTTP/1.1 request without a `Host` header (answer 400).
    case missingHost
    /// More than one `Host` header (answer 400).
    case duplicateHost
    /// `Transfer-Encoding` in an HTTP/1.0 request, which has no chunked framing (answer 400).
    case transferEncodingInHTTP10
    /// A request method that is not an RFC 9110 token; carries the method sent (answer 400).
    case invalidMethod(String)
    /// The answer is large and the bytes held for clients that read slowly have reached `limit`
    /// (answer 503; the request was handled but its answer is not sent).
    case responseMemoryExhausted(limit: Int)
    /// A line of the head ends with a bare LF, or the method or a header value contains a NUL
    /// (answer 400).
    case malformedLine

    /// The status code this rejection calls for: 413 for `bodyTooLarge`, 400 otherwise.
    public var suggestedStatus: HTTPStatus {
        switch self {
        case .bodyTooLarge: 413
        case .responseMemoryExhausted: 503
        default: 400
        }
    }
}
