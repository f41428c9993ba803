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

    /// The status code this rejection calls for: 413 for `bodyTooLarge`, 400 otherwise.
    public var suggestedStatus: Int {
        if case .bodyTooLarge = self { return 413 }
        return 400
    }
}
