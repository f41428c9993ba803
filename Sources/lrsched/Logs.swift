import Dispatch
import HTTPServer
import Logging
import Service
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// How log lines are written: `text` for people, `json` (one object per line) for collectors.
enum LogFormat: String, CaseIterable {
    case text, json
}

/// Standard error, buffered: a log event is queued under a short lock, and a background timer
/// formats and writes the queue every 10 ms (sooner, on a background thread, when 1,024 events
/// have gathered; and on `flush()`), so a request's thread neither formats a line nor makes a
/// `write(2)`: formatting a thousand lines takes milliseconds, which would hold up every other
/// request of that thread. Only when the background cannot keep up (16,384 events queued) does
/// the writer flush itself, which bounds the queue's memory.
final class LogOutput: Sendable {
    /// One event, formatted when it is written.
    struct Pending: Sendable {
        var seconds: Int
        var nanoseconds: Int
        var level: Logger.Level
        var label: String
        var message: String
        var metadata: Logger.Metadata
        var format: LogFormat
        /// An access line's fields, typed: it is rendered with the same keys as metadata would be,
        /// without building a `Logger.Metadata` dictionary on the request's path.
        var access: AccessRecord?
    }

    /// Queues an access line (level `info`, the `lrsched` logger); its message and fields are
    /// rendered by the flusher.
    func access(_ record: AccessRecord, format: LogFormat) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        write(
            Pending(
                seconds: Int(now.tv_sec),
                nanoseconds: Int(now.tv_nsec),
                level: .info,
                label: "lrsched",
                message: "",
                metadata: [:],
                format: format,
                access: record
            )
        )
    }

    private let queue = Locked<[Pending]>([])
    /// Serializes writers, so lines from two flushes never interleave; holds the emptied list of
    /// the last flush, swapped with the queue's by the next (no list is copied or reallocated).
    private let writing = Locked<[Pending]>([])
    private let timer = Locked<(any DispatchSourceTimer)?>(nil)
    /// Whether a background flush has been asked for and has not started yet.
    private let wakeQueued = Atomic<Bool>(false)
    static let flushThreshold = 1024
    static let inlineThreshold = 16_384

    init() {
        let source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        source.schedule(deadline: .now() + .milliseconds(10), repeating: .milliseconds(10), leeway: .milliseconds(5))
        source.setEventHandler { [weak self] in self?.flush() }
        source.resume()
        timer.withLock { $0 = source }
    }

    deinit {
        timer.withLock { $0?.cancel() }
    }

    /// Queues one event.
    func write(_ event: consuming Pending) {
        // Moved into the queue, not copied (a copy retains each of its strings).
        var moving = Optional(event)
        let count = queue.withLock { events in
            events.append(moving.take()!)
            return events.count
        }
        if count >= Self.inlineThreshold {
            flush()
        } else if count >= Self.flushThreshold, !wakeQueued.exchange(true, ordering: .acquiringAndReleasing) {
            DispatchQueue.global(qos: .utility).async { [self] in
                wakeQueued.store(false, ordering: .releasing)
                flush()
            }
        }
    }

    /// Formats and writes everything queued so far.
    func flush() {
        writing.withLock { pending in
            queue.withLock { events in swap(&events, &pending) }
            // A burst's large list is let go; the usual one is kept for the next swap.
            defer { pending.removeAll(keepingCapacity: pending.capacity <= 2 * Self.flushThreshold) }
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(pending.count * 200)
            for i in pending.indices {
                LineLogHandler.appendLine(pending[i], to: &bytes)
                bytes.append(10)
            }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { raw in
                    Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                }
                if written <= 0 { return }
                offset += written
            }
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
        var merged = event.metadata ?? [:]
        if !metadata.isEmpty { merged.merge(metadata) { event, _ in event } }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        output.write(
            LogOutput.Pending(
                seconds: Int(now.tv_sec),
                nanoseconds: Int(now.tv_nsec),
                level: event.level,
                label: label,
                message: "\(event.message)",
                metadata: merged,
                format: format,
                access: nil
            )
        )
    }

    /// The text of one event.
    static func line(_ event: LogOutput.Pending) -> String {
        var bytes: [UInt8] = []
        appendLine(event, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of one event (without its newline). Access lines, one per request, are
    /// written byte by byte; other events go through `String`.
    static func appendLine(_ event: LogOutput.Pending, to bytes: inout [UInt8]) {
        guard let access = event.access else {
            bytes.append(contentsOf: genericLine(event).utf8)
            return
        }
        switch event.format {
        case .text:
            appendAccessText(event, access, to: &bytes)
        case .json:
            bytes.append(contentsOf: #"{"timestamp":""#.utf8)
            appendTimestamp(seconds: event.seconds, nanoseconds: event.nanoseconds, to: &bytes)
            bytes.append(contentsOf: #"","level":"#.utf8)
            bytes.append(contentsOf: quoted(event.level.rawValue).utf8)
            bytes.append(contentsOf: #","logger":"#.utf8)
            bytes.append(contentsOf: quoted(event.label).utf8)
            bytes.append(contentsOf: #","message":"#.utf8)
            var message: [UInt8] = []
            access.appendMessage(to: &message)
            bytes.append(contentsOf: quoted(String(decoding: message, as: UTF8.self)).utf8)
            access.forEachField { key, value in
                bytes.append(contentsOf: #",""#.utf8)
                key.withUTF8Buffer { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: #"":"#.utf8)
                switch value {
                case .text(let text): bytes.append(contentsOf: quoted(text).utf8)
                case .number(let number): appendDecimal(number, to: &bytes)
                }
            }
            bytes.append(125)
        }
    }

    /// Any event but an access line, through `String`.
    private static func genericLine(_ event: LogOutput.Pending) -> String {
        let timestamp = timestamp(seconds: event.seconds, nanoseconds: event.nanoseconds)
        let sorted = event.metadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        switch event.format {
        case .text:
            let fields = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            return "\(timestamp) \(event.level) \(event.label): \(event.message)\(fields.isEmpty ? "" : " " + fields)"
        case .json:
            var line = #"{"timestamp":"# + quoted(timestamp) + #","level":"# + quoted(event.level.rawValue)
            line += #","logger":"# + quoted(event.label) + #","message":"# + quoted(event.message)
            for (key, value) in sorted {
                line += "," + quoted(key) + ":" + json(value)
            }
            return line + "}"
        }
    }

    /// Appends the decimal digits of `value`.
    static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var text = LineWriter(buffer.baseAddress!)
            text.decimal(value)
            bytes.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: text.count))
        }
    }

    /// Appends the UTF-8 bytes of `text` from its contiguous storage.
    static func appendUTF8(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends an access event's text line (`<timestamp> info lrsched: POST /v1/schedules 200
    /// bytes=… status=200`): written through one pointer into room sized for it, then appended
    /// once.
    private static func appendAccessText(_ event: LogOutput.Pending, _ access: AccessRecord, to bytes: inout [UInt8]) {
        let path = printablePath(access.path)
        // The texts, plus 24 (timestamp), 4 decimals of at most 20 (the status twice, bytes,
        // duration), and the fixed words and keys (68).
        let room =
            event.level.rawValue.utf8.count + event.label.utf8.count + 2 * access.method.utf8.count
            + path.utf8.count + access.remote.utf8.count + access.requestID.utf8.count + access.route.utf8.count
            + 24 + 4 * 20 + 80
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
            var line = LineWriter(buffer.baseAddress!)
            line.timestamp(seconds: event.seconds, nanoseconds: event.nanoseconds)
            line.byte(32)
            line.text(event.level.rawValue)
            line.byte(32)
            line.text(event.label)
            line.word(": ")
            line.text(access.method)
            line.byte(32)
            line.text(path)
            line.byte(32)
            line.decimal(Int64(access.status))
            access.forEachField { key, value in
                line.byte(32)
                line.word(key)
                line.byte(61)
                switch value {
                case .text(let text): line.text(text)
                case .number(let number): line.decimal(number)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: line.count))
        }
    }

    /// Appends the ISO 8601 timestamp that ``timestamp(seconds:nanoseconds:)`` returns.
    static func appendTimestamp(seconds: Int, nanoseconds: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { text in
            writeTimestamp(seconds: seconds, nanoseconds: nanoseconds, at: text.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    /// Writes the 24 bytes of the ISO 8601 timestamp at `text`.
    static func writeTimestamp(seconds: Int, nanoseconds: Int, at text: UnsafeMutablePointer<UInt8>) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        // Four digits: years outside 0…9999 are clamped (no clock reads them).
        let year = Swift.min(9999, Swift.max(0, yoe + era * 400 + (month <= 2 ? 1 : 0)))
        let milliseconds = nanoseconds / 1_000_000
        // Every divisor is a constant.
        func pair(_ value: Int, at index: Int) {
            text[index] = UInt8(truncatingIfNeeded: 48 + value / 10)
            text[index + 1] = UInt8(truncatingIfNeeded: 48 + value % 10)
        }
        pair(year / 100, at: 0)
        pair(year % 100, at: 2)
        text[4] = 45
        pair(month, at: 5)
        text[7] = 45
        pair(day, at: 8)
        text[10] = 84
        pair(inDay / 3600, at: 11)
        text[13] = 58
        pair(inDay / 60 % 60, at: 14)
        text[16] = 58
        pair(inDay % 60, at: 17)
        text[19] = 46
        text[20] = UInt8(truncatingIfNeeded: 48 + milliseconds / 100)
        pair(milliseconds % 100, at: 21)
        text[23] = 90
    }

    /// ISO 8601 in UTC with milliseconds: `2026-12-04T13:49:42.123Z` (civil date from the day
    /// count, without `gmtime` or a formatter).
    static func timestamp(seconds: Int, nanoseconds: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(24)
        appendTimestamp(seconds: seconds, nanoseconds: nanoseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
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
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
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

extension AccessRecord {
    /// The line's message: `GET /v1/schedules 200`.
    var message: String {
        var bytes: [UInt8] = []
        appendMessage(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A field's value as the access line writes it.
    enum FieldValue {
        case text(String)
        case number(Int64)
    }

    /// Calls `body` with each field in key order, as the access line writes them.
    func forEachField(_ body: (StaticString, FieldValue) -> Void) {
        body("bytes", .number(Int64(bytes)))
        body("duration_us", .number(durationMicroseconds))
        body("method", .text(method))
        body("remote", .text(remote))
        body("request_id", .text(requestID))
        body("route", .text(route))
        body("status", .number(Int64(status)))
    }

    /// Appends the message (``message``).
    func appendMessage(to bytes: inout [UInt8]) {
        LineLogHandler.appendUTF8(method, to: &bytes)
        bytes.append(32)
        LineLogHandler.appendUTF8(printablePath(path), to: &bytes)
        bytes.append(32)
        LineLogHandler.appendDecimal(Int64(status), to: &bytes)
    }

    /// The fields in key order as metadata, for lines that go through swift-log.
    var fields: [(key: String, value: Logger.Metadata.Value)] {
        var list: [(key: String, value: Logger.Metadata.Value)] = []
        forEachField { key, value in
            switch value {
            case .text(let text): list.append((key.description, .string(text)))
            case .number(let number): list.append((key.description, .stringConvertible(number)))
            }
        }
        return list
    }
}

/// Writes a log line's bytes forward from a pointer into room its caller sized.
private struct LineWriter {
    let start: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(_ start: UnsafeMutablePointer<UInt8>) { self.start = start }

    mutating func byte(_ value: UInt8) {
        start[count] = value
        count += 1
    }

    /// A string's UTF-8 bytes, copied from its contiguous storage.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            (start + count).update(from: utf8.baseAddress!, count: utf8.count)
            count += utf8.count
        }
    }

    /// A literal's bytes.
    mutating func word(_ value: StaticString) {
        (start + count).update(from: value.utf8Start, count: value.utf8CodeUnitCount)
        count += value.utf8CodeUnitCount
    }

    /// A signed decimal (at most 20 bytes).
    mutating func decimal(_ value: Int64) {
        if value < 0 { byte(45) }
        // The magnitude of Int64.min fits in UInt64.
        var v = value < 0 ? UInt64(bitPattern: 0 &- value) : UInt64(value)
        var digits = 1
        var scan = v
        while scan >= 10 {
            scan /= 10
            digits += 1
        }
        count += digits
        var i = count
        repeat {
            i -= 1
            start[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
        } while v > 0
    }

    /// The 24-byte ISO 8601 timestamp.
    mutating func timestamp(seconds: Int, nanoseconds: Int) {
        LineLogHandler.writeTimestamp(seconds: seconds, nanoseconds: nanoseconds, at: start + count)
        count += 24
    }
}
