import HTTPServer

extension HTTPField.Name {
    /// `X-Request-ID`: the id a client may send and every answer carries.
    static let requestID = HTTPField.Name("X-Request-ID")!
    /// `Referrer-Policy` (not predefined by swift-http-types).
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
