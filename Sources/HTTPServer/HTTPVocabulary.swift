import HTTPTypes

/// A request method, swift-http-types' `HTTPRequest.Method`: `.get`, `.head`, `.post`, … or any
/// RFC 9110 token (`HTTPMethod("PURGE")`).
public typealias HTTPMethod = HTTPTypes.HTTPRequest.Method

/// A response status, swift-http-types' `HTTPResponse.Status`: `.ok`, `.notFound`, … or any code
/// (an integer literal works: `let status: HTTPStatus = 422`).
public typealias HTTPStatus = HTTPTypes.HTTPResponse.Status

/// Header fields in order, with case-insensitive look-up (swift-http-types' `HTTPFields`):
/// `fields[.contentType]`, `fields[values: .acceptEncoding]`.
public typealias HTTPFields = HTTPTypes.HTTPFields

/// One header field (swift-http-types' `HTTPField`); `HTTPField.Name("X-Request-ID")` names a
/// field the library does not predefine.
public typealias HTTPField = HTTPTypes.HTTPField
