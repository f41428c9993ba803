#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure of the raw test client, with a readable description.
public struct RawClientError: Error, CustomStringConvertible {
    public let description: String
}

/// A response as parsed by ``RawHTTPClient``.
public struct RawResponse {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A minimal blocking HTTP/1.1 client over one TCP connection: sends exact bytes and
/// parses replies (Content-Length, chunked, or until close), each read bounded by a timeout.
public final class RawHTTPClient {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let timeoutMilliseconds: Int32

    /// Connects to `host:port` (IPv4 or IPv6 literal), from `source` (an IPv4 loopback address
    /// such as `127.0.0.2`) when given.
    public init(host: String = "127.0.0.1", port: Int, timeoutSeconds: Int = 10, source: String? = nil) throws {
        timeoutMilliseconds = Int32(timeoutSeconds * 1000)
        fd = try Self.connect(host: host, port: port, source: source)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Attempts a connection and reports the errno on failure (0 on success; the socket is closed).
    public static func connectionErrno(host: String = "127.0.0.1", port: Int) -> Int32 {
        do {
            let fd = try connect(host: host, port: port)
            Glibc.close(fd)
            return 0
        } catch let error as ConnectError {
            return error.code
        } catch {
            return -1
        }
    }

    public struct ConnectError: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "connect failed: errno \(code) (\(String(cString: strerror(code))))" }
    }

    private static func connect(host: String, port: Int, source: String? = nil) throws -> Int32 {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let isV6: Bool
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            isV6 = false
        } else if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            isV6 = true
        } else {
            throw RawClientError(description: "bad host \(host)")
        }
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ConnectError(code: errno) }
        if let source, !isV6 {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            guard inet_pton(AF_INET, source, &local.sin_addr) == 1 else {
                Glibc.close(fd)
                throw RawClientError(description: "bad source address \(source)")
            }
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound != 0 {
                let code = errno
                Glibc.close(fd)
                throw ConnectError(code: code)
            }
        }
        let rc: Int32
        if isV6 {
            rc = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            rc = withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if rc != 0 {
            let code = errno
            Glibc.close(fd)
            throw ConnectError(code: code)
        }
        return fd
    }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw RawClientError(description: "send failed after \(offset) of \(bytes.count) bytes: errno \(errno)")
            }
            offset += n
        }
    }

    /// Sends the UTF-8 bytes of `text`.
    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Half-closes the sending side.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes the connection.
    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Reads more bytes into the buffer; returns false at end of stream.
    private func fill() throws -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        // A signal to the test process (EINTR) interrupts the wait; it is not the server's doing.
        repeat { ready = poll(&pfd, 1, timeoutMilliseconds) } while ready < 0 && errno == EINTR
        if ready == 0 {
            throw RawClientError(
                description: "timed out after \(timeoutMilliseconds) ms waiting for data (have \(buffer.count) bytes)"
            )
        }
        if ready < 0 { throw RawClientError(description: "poll failed: errno \(errno)") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == ECONNRESET { return false }
            throw RawClientError(description: "recv failed: errno \(errno)")
        }
        if n == 0 { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    private func takeLine() throws -> String {
        while true {
            if let i = indexOfCRLF(from: 0) {
                let line = String(decoding: buffer[0..<i], as: UTF8.self)
                buffer.removeFirst(i + 2)
                return line
            }
            guard try fill() else {
                throw RawClientError(description: "connection closed while reading a line (have \(buffer.count) bytes)")
            }
        }
    }

    private func indexOfCRLF(from start: Int) -> Int? {
        guard buffer.count >= 2 else { return nil }
        var i = start
        while i + 1 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else {
                throw RawClientError(description: "connection closed with \(buffer.count) of \(count) body bytes")
            }
        }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Reads one response's status line and headers, leaving its body unread; returns the status.
    public func readHead() throws -> Int {
        let statusLine = try takeLine()
        while try !takeLine().isEmpty {}
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw RawClientError(description: "bad status line \(statusLine)")
        }
        return status
    }

    /// Reads until the server closes the connection (or the timeout passes) and returns every byte
    /// received: the whole reply, to check that nothing follows it.
    public func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// Returns true when the server has closed the connection (end of stream or reset)
    /// within the timeout and no further bytes arrived.
    public func isClosedByPeer() throws -> Bool {
        if !buffer.isEmpty { return false }
        return try !fill()
    }

    /// Reads one response; skips interim 1xx responses unless `keepInterim`.
    public func readResponse(keepInterim: Bool = false, isHead: Bool = false) throws -> RawResponse {
        while true {
            let statusLine = try takeLine()
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
                throw RawClientError(description: "bad status line '\(statusLine)'")
            }
            var headers: [(name: String, value: String)] = []
            while true {
                let line = try takeLine()
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else {
                    throw RawClientError(description: "bad header line '\(line)'")
                }
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingPrefix(while: { $0 == " " || $0 == "\t" })
                headers.append((name, String(value)))
            }
            var response = RawResponse(
                status: status,
                reason: parts.count > 2 ? String(parts[2]) : "",
                headers: headers,
                body: []
            )
            if (100..<200).contains(status) {
                if keepInterim { return response }
                continue
            }
            if isHead || status == 204 || status == 304 { return response }
            if let te = response.header("Transfer-Encoding"), te.lowercased().contains("chunked") {
                response.body = try readChunkedBody()
            } else if let lengthText = response.header("Content-Length") {
                guard let length = Int(lengthText) else {
                    throw RawClientError(description: "bad Content-Length '\(lengthText)'")
                }
                response.body = try take(length)
            } else {
                while try fill() {}
                response.body = buffer
                buffer.removeAll()
            }
            return response
        }
    }

    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try takeLine()
            let sizeText = sizeLine.split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingPrefix(while: { $0 == " " }), radix: 16) else {
                throw RawClientError(description: "bad chunk size line '\(sizeLine)'")
            }
            if size == 0 {
                while try !takeLine().isEmpty {}
                return body
            }
            body += try take(size)
            _ = try take(2)
        }
    }
}

/// Encodes `body` as a chunked message body with chunks of at most `chunkSize` bytes.
public func chunkedEncoding(_ body: [UInt8], chunkSize: Int) -> [UInt8] {
    var out: [UInt8] = []
    var offset = 0
    while offset < body.count {
        let end = min(offset + chunkSize, body.count)
        out += Array(String(end - offset, radix: 16).utf8) + [13, 10]
        out += body[offset..<end]
        out += [13, 10]
        offset = end
    }
    out += Array("0\r\n\r\n".utf8)
    return out
}
