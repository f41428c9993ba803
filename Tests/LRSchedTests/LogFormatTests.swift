import JSON
import Logging
import Service
import Testing

@testable import lrsched

@Suite("log lines: timestamps, JSON, access records")
struct LogFormatTests {
    @Test(
        "timestamps are ISO 8601 UTC with milliseconds, including leap days and century years",
        arguments: [
            (0, 0, "1970-01-01T00:00:00.000Z"),
            (951_782_400, 5_000_000, "2000-02-29T00:00:00.005Z"),
            (1_764_855_000, 999_999_999, "2025-12-04T13:30:00.999Z"),
            (4_102_444_799, 123_000_000, "2099-12-31T23:59:59.123Z"),
            (4_107_542_400, 0, "2100-03-01T00:00:00.000Z"),
            (-1, 0, "1969-12-31T23:59:59.000Z"),
        ]
    )
    func timestamps(_ seconds: Int, _ nanoseconds: Int, _ expected: String) {
        let text = LineLogHandler.timestamp(seconds: seconds, nanoseconds: nanoseconds)
        #expect(text == expected, "\(seconds) s: expected \(expected), got \(text)")
    }

    @Test("JSON lines parse back to the same message and fields, control characters escaped")
    func jsonLine() throws {
        let event = LogOutput.Pending(
            seconds: 0,
            nanoseconds: 0,
            level: .notice,
            label: "lrsched",
            message: "quote \" backslash \\ newline \n tab \t bell \u{7}",
            metadata: ["n": .stringConvertible(42), "s": .string("a\"b")],
            format: .json,
            access: nil
        )
        let line = LineLogHandler.line(event)
        #expect(!line.contains("\n"), "a JSON line must be one line: \(line)")
        let json = try JSONParser.parse(Array(line.utf8))
        #expect(json["message"]?.stringValue == event.message)
        #expect(json["level"]?.stringValue == "notice")
        #expect(json["n"] == .integer(42))
        #expect(json["s"]?.stringValue == "a\"b")
        #expect(json["timestamp"]?.stringValue == "1970-01-01T00:00:00.000Z")
    }

    @Test("an access record renders the same keys as text and as JSON")
    func accessRecord() throws {
        let record = AccessRecord(
            requestID: "abc",
            method: "POST",
            path: "/v1/schedules",
            route: "schedules",
            status: 200,
            bytes: 509,
            durationMicroseconds: 84,
            remote: "127.0.0.1"
        )
        var event = accessEvent(record, seconds: 0)
        #expect(
            LineLogHandler.line(event)
                == "1970-01-01T00:00:00.000Z info lrsched: POST /v1/schedules 200 bytes=509 duration_us=84 method=POST remote=127.0.0.1 request_id=abc route=schedules status=200"
        )
        event.format = .json
        let json = try JSONParser.parse(Array(LineLogHandler.line(event).utf8))
        #expect(json["message"]?.stringValue == "POST /v1/schedules 200")
        #expect(json["status"] == .integer(200) && json["duration_us"] == .integer(84))
        #expect(json["request_id"]?.stringValue == "abc" && json["route"]?.stringValue == "schedules")
    }

    @Test(
        "an access text line holds its message and every field, whatever their sizes",
        arguments: [
            (String(repeating: "é/", count: 200) + "\u{1}", Int64.min, Int.max, 0, String(repeating: "f", count: 64)),
            ("/", Int64.max, 0, 999, ""),
            // Every decimal at its widest: 20 bytes each, the status twice.
            ("/", Int64.min, Int.min, Int.min, ""),
            ("/v1/schedules?spec=%7B%7D", -1, 1_904, 200, "2001:db8::1"),
        ]
    )
    func accessTextLine(_ path: String, _ duration: Int64, _ bytes: Int, _ status: Int, _ remote: String) {
        let record = AccessRecord(
            requestID: String(repeating: "r", count: 40),
            method: "OPTIONS",
            path: path,
            route: "schedules",
            status: status,
            bytes: bytes,
            durationMicroseconds: duration,
            remote: remote
        )
        let event = accessEvent(record, seconds: 1_764_855_000)
        let fields = record.fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let expected = "2025-12-04T13:30:00.000Z info lrsched: \(record.message) \(fields)"
        let line = LineLogHandler.line(event)
        #expect(line == expected, "path \(path.prefix(20))…: expected \(expected), got \(line)")
    }

    /// The queued event of an access line, as `LogOutput.access` makes it, in text.
    func accessEvent(_ record: AccessRecord, seconds: Int) -> LogOutput.Pending {
        LogOutput.Pending(
            seconds: seconds,
            nanoseconds: 0,
            level: .info,
            label: "lrsched",
            message: "",
            metadata: [:],
            format: .text,
            access: record
        )
    }

    @Test("paths in log lines are bounded and control characters replaced")
    func printablePaths() {
        #expect(printablePath("/a\u{1}b") == "/a?b")
        #expect(printablePath(String(repeating: "x", count: 300)).count == 257)
    }
}
