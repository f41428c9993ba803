import HTTPTypes

/// One fully received HTTP request, body included.
public struct HTTPRequest: Sendable {
    /// The request method as sent, e.g. `.get` or `.post`.
    public var method: HTTPMethod
    /// The protocol version as sent, e.g. `"HTTP/1.1"`.
    public var version: String
    /// The request-target path without the query, as sent (not percent-decoded), e.g. `"/v1/schedules"`.
    public var path: String
    /// The raw query string after the first `?`, or `nil` when the target has no `?`.
    public var query: String?
    /// The request headers in arrival order, names as sent; look-ups ignore case.
    public var headerFields: HTTPFields
    /// The request body (empty when there is none).
    public var body: [UInt8]
    /// The client's address (`127.0.0.1`, `::1`), when known.
    public var remoteAddress: String?

    /// Creates a request value, e.g. to test a handler without a server.
    public init(
        method: HTTPMethod,
        version: String = "HTTP/1.1",
        path: String,
        query: String? = nil,
        headerFields: HTTPFields = [:],
        body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.remoteAddress = remoteAddress
        self.method = method
        self.version = version
        self.path = path
        self.query = query
        self.headerFields = headerFields
        self.body = body
    }

    /// Whether the client accepts a gzip-encoded answer: `Accept-Encoding` lists `gzip`,
    /// `x-gzip` or `*` without `q=0`.
    public var acceptsGzip: Bool {
        guard headerFields.contains(.acceptEncoding) else { return false }
        for value in headerFields[values: .acceptEncoding] {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingSpaces() }
                guard let coding = parts.first?.lowercased(), ["gzip", "x-gzip", "*"].contains(coding) else { continue }
                let zeroQuality = parts.dropFirst().contains { parameter in
                    let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                    return pair.count == 2 && pair[0].lowercased() == "q" && (Double(pair[1]) ?? 1) == 0
                }
                if !zeroQuality { return true }
            }
        }
        return false
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (a view of the same text: no copy).
    func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.utf8.first, first == 32 || first == 9 { text = text.dropFirst() }
        while let last = text.utf8.last, last == 32 || last == 9 { text = text.dropLast() }
        return text
    }
}

extension HTTPFields {
    /// `self[name]` (the values of the fields named `name`, joined as HTTPTypes joins them), with
    /// the usual answer for an optional header, none, found by one scan that copies no field.
    @inlinable
    public func valueIfPresent(_ name: HTTPField.Name) -> String? {
        contains(name) ? self[name] : nil
    }
}
