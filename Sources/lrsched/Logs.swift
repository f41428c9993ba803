import Foundation
import HTTPServer
import Logging

/// How log lines are written: `text` for people, `json` (one object per line) for collectors.
enum LogFormat: String, CaseIterable {
    case text, json
}

/// Standard error, buffered: log lines are appended under a short lock and written by a
/// background timer every 50 ms (or at once when 64 KiB have gathered, and on `flush()`), so a
/// request's path takes no `write(2)` of its own.
final class LogOutput: Sendable {
    private let buffer = Locked<[UInt8]>([])
    private let timer = Locked<(any DispatchSourceTimer)?>(nil)
    static let flushThreshold = 64 * 1024

    init() {
        let source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        source.schedule(deadline: .now() + .milliseconds(50), repeating: .milliseconds(50), leeway: .milliseconds(10))
        source.setEventHandler { [weak self] in self?.flush() }
        source.resume()
        timer.withLock { $0 = source }
    }

    deinit {
        timer.withLock { $0?.cancel() }
    }

    /// Appends one line (a newline is added).
    func write(_ line: String) {
        let full = buffer.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            bytes.append(10)
            return bytes.count >= Self.flushThreshold
        }
        if full { flush() }
    }

    /// Writes everything buffered so far.
    func flush() {
        let pending = buffer.withLock { bytes in
            defer { bytes.removeAll(keepingCapacity: true) }
            return bytes
        }
        var offset = 0
        while offset < pending.count {
            let written = pending.withUnsafeBytes { raw in
                Foundation.write(2, raw.baseAddress! + offset, raw.count - offset)
            }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// A swift-log handler writing text or JSON lines to a `LogOutput`.
struct LineLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    let output: LogOutput
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let timestamp = Self.timestamp()
        switch format {
        case .text:
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            output.write("\(timestamp) \(event.level) \(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)")
        case .json:
            var line = #"{"timestamp":"# + Self.quoted(timestamp) + #","level":"# + Self.quoted(event.level.rawValue)
            line += #","logger":"# + Self.quoted(label) + #","message":"# + Self.quoted("\(event.message)")
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line += "," + Self.quoted(key) + ":" + Self.json(value)
            }
            output.write(line + "}")
        }
    }

    /// ISO 8601 in UTC with milliseconds: `2026-12-04T13:49:42.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = Int(now.tv_nsec / 1_000_000)
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }

    /// A JSON value for a metadata value: numbers stay numbers, the rest are strings.
    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): quoted(s)
        case .stringConvertible(let c):
            if let n = c as? Int { "\(n)" } else if let n = c as? Int64 { "\(n)" } else { quoted("\(c)") }
        case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let d):
            "{" + d.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + json($0.value) }.joined(separator: ",")
                + "}"
        }
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
