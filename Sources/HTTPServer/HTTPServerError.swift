/// Why ``HTTPServer/start()`` failed.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value is out of range; the message names it and the value received.
    case invalidConfiguration(String)
    /// The daemon could not start: bad host, port in use, permission denied, already started, ...
    case cannotStart(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): "invalid HTTP server configuration: \(reason)"
        case .cannotStart(let reason): "cannot start HTTP server: \(reason)"
        }
    }
}
