/// The framing policy applied to every request head before its body is read: the checks that keep
/// lrsched from reading a request differently from a proxy in front of it (request smuggling).
///
/// libmicrohttpd 0.9.75 accepts header names with spaces (`Content-Length : 35` is then an
/// unknown header and the body runs as a second request), control characters in values, HTTP/1.1
/// without `Host`, several `Host` headers, and `Transfer-Encoding` on HTTP/1.0. Each is refused
/// here; the `Content-Length`/`Transfer-Encoding` combinations are refused in the shim before this.
public enum HTTPHeadCheck {
    /// Why `request` (a head: no body yet) must be refused, or nil when it may proceed.
    public static func rejection(for request: HTTPRequest) -> HTTPRejection? {
        if !isToken(request.method) { return .invalidMethod(request.method) }
        var hosts = 0
        var transferEncoding = false
        for (name, value) in request.headers {
            if !isToken(name) { return .invalidHeaderName(name) }
            if !isFieldValue(value) { return .invalidHeaderValue(name: name) }
            if asciiCaseInsensitiveEquals(name, "Host") { hosts += 1 }
            if asciiCaseInsensitiveEquals(name, "Transfer-Encoding") { transferEncoding = true }
        }
        if hosts > 1 { return .duplicateHost }
        if hosts == 0 && request.version == "HTTP/1.1" { return .missingHost }
        if transferEncoding && request.version == "HTTP/1.0" { return .transferEncodingInHTTP10 }
        return nil
    }

    /// RFC 9110 `token`: one or more of ``tokenCharacters``.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { tokenCharacters.contains($0) }
    }

    /// RFC 9110 `field-value`: visible characters, spaces, tabs and obs-text; no other control
    /// character (NUL, CR, LF, DEL, ...).
    static func isFieldValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// `tchar`: `!#$%&'*+-.^_`|~`, digits and letters.
    static let tokenCharacters: Set<UInt8> = {
        var set = Set(Array("!#$%&'*+-.^_`|~".utf8))
        set.formUnion(UInt8(ascii: "0")...UInt8(ascii: "9"))
        set.formUnion(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        set.formUnion(UInt8(ascii: "a")...UInt8(ascii: "z"))
        return set
    }()
}
