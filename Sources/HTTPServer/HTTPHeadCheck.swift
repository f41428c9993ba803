#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The framing policy applied to every request head before its body is read: the checks that keep
/// lrsched from reading a request differently from a proxy in front of it (request smuggling).
///
/// In this order: `Content-Length` and `Transfer-Encoding` (one of them at most, a single
/// `chunked`, a decimal length within the body limit — libmicrohttpd 0.9.75 ignores
/// `Content-Length` next to any `Transfer-Encoding` and reads only the first of two); then the
/// lines libmicrohttpd accepts but others read differently: header names with spaces
/// (`Content-Length : 35` is then an unknown header and the body runs as a second request), control
/// characters in values, a bare LF or NUL (seen through libmicrohttpd's in-place parse), HTTP/1.1 without `Host`, several
/// `Host` headers, and `Transfer-Encoding` on HTTP/1.0.
public enum HTTPHeadCheck {
    /// Why a request head (no body yet) must be refused, or nil when it may proceed; on raw
    /// bytes, so that the server runs it on every request without building strings (strings are
    /// decoded only to describe a rejection).
    public static func rejection<Bytes: Collection<UInt8>>(
        method: Bytes,
        version: Bytes,
        headers: some Sequence<(Bytes, Bytes)>,
        maxBodyBytes: Int,
        malformedLine: Bool = false
    ) -> HTTPRejection? {
        if let framing = framingRejection(headers: headers, maxBodyBytes: maxBodyBytes) { return framing }
        if malformedLine { return .malformedLine }
        if !isToken(method) { return .invalidMethod(String(decoding: method, as: UTF8.self)) }
        var hosts = 0
        var transferEncoding = false
        for (name, value) in headers {
            if !isToken(name) { return .invalidHeaderName(String(decoding: name, as: UTF8.self)) }
            if !isFieldValue(value) { return .invalidHeaderValue(name: String(decoding: name, as: UTF8.self)) }
            if equalsIgnoringCase(name, "host") { hosts += 1 }
            if equalsIgnoringCase(name, "transfer-encoding") { transferEncoding = true }
        }
        if hosts > 1 { return .duplicateHost }
        if hosts == 0 && equals(version, "HTTP/1.1") { return .missingHost }
        if transferEncoding && equals(version, "HTTP/1.0") { return .transferEncodingInHTTP10 }
        return nil
    }

    /// The `Content-Length` / `Transfer-Encoding` rules: at most one of them; `Transfer-Encoding`
    /// exactly `chunked` (any case: the only coding libmicrohttpd decodes, compared untrimmed);
    /// `Content-Length` a run of decimal digits no larger than `maxBodyBytes`.
    static func framingRejection<Bytes: Collection<UInt8>>(
        headers: some Sequence<(Bytes, Bytes)>,
        maxBodyBytes: Int
    ) -> HTTPRejection? {
        // The first of each, and how many there are: no list is built for the usual one.
        var length: Bytes?
        var lengths = 0
        var encoding: Bytes?
        var encodings = 0
        for (name, value) in headers {
            if equalsIgnoringCase(name, "content-length") {
                if lengths == 0 { length = value }
                lengths += 1
            }
            if equalsIgnoringCase(name, "transfer-encoding") {
                if encodings == 0 { encoding = value }
                encodings += 1
            }
        }
        if lengths > 1 { return .duplicateContentLength }
        if encodings > 0 && lengths > 0 { return .transferEncodingWithContentLength }
        if let encoding {
            if encodings > 1 || !equalsIgnoringCase(encoding, "chunked") {
                return .unsupportedTransferEncoding(String(decoding: encoding, as: UTF8.self))
            }
            return nil
        }
        guard let length else { return nil }
        guard !length.isEmpty, length.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return .invalidContentLength(String(decoding: length, as: UTF8.self))
        }
        var value = 0
        for digit in length {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int(digit - 0x30))
            if o1 || o2 || next > maxBodyBytes { return .bodyTooLarge(limit: maxBodyBytes) }
            value = next
        }
        return nil
    }

    /// Whether `bytes` are exactly `literal`'s.
    @inline(__always)
    static func equals(_ bytes: some Collection<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { expected in zip(bytes, expected).allSatisfy { $0 == $1 } }
    }

    /// Whether `bytes` are exactly `literal`'s (one `memcmp`).
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard let base = bytes.baseAddress, bytes.count == literal.utf8CodeUnitCount else { return false }
        return memcmp(base, literal.utf8Start, bytes.count) == 0
    }

    /// Whether `bytes` spell `lowercase` (ASCII letters compared without case).
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { (($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0) == $1 }
        }
    }

    /// RFC 9110 `token`: one or more `tchar`s.
    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
    }

    /// Whether `byte` is a `tchar` (`!#$%&'*+-.^_`|~`, digits and letters): a bit in one of two
    /// 64-bit masks, for bytes below 64 and below 128 (`FramingGuardTests` checks every byte).
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        let below64: UInt64 = 0x03ff_6cfa_0000_0000
        let below128: UInt64 = 0x57ff_ffff_c7ff_fffe
        if byte < 64 { return below64 >> UInt64(byte) & 1 != 0 }
        if byte < 128 { return below128 >> UInt64(byte - 64) & 1 != 0 }
        return false
    }

    /// RFC 9110 `field-value`: visible characters, spaces, tabs and obs-text; no other control
    /// character (NUL, CR, LF, DEL, ...).
    static func isFieldValue(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }
}
