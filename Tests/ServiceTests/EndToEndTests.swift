import Foundation
import HTTPServer
import HTTPTestClient
import JSON
import Service
import Testing

/// Starts the real server with the service on 127.0.0.1 and an OS-chosen port; always stops it.
func withServer(maxBodyBytes: Int = 1_048_576, _ body: (Int) throws -> Void) throws {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.threads = 2
    configuration.maxBodyBytes = maxBodyBytes
    let application = Application()
    let server = HTTPServer(
        configuration: configuration,
        respond: application.respond,
        rejectionHandler: application.reject
    )
    try server.start()
    defer { server.shutdown(gracePeriod: .seconds(5)) }
    try body(server.port)
}

func post(_ path: String, _ body: String, port: Int, extraHeaders: String = "") throws -> RawResponse {
    let client = try RawHTTPClient(port: port)
    try client.send(
        "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\(extraHeaders)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    )
    return try client.readResponse()
}

@Suite("service over HTTP")
struct EndToEndTests {
    @Test func seedOverHTTP() throws {
        try withServer { port in
            let response = try post(
                "/v1/schedules",
                #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":30,"start":1}"#,
                port: port
            )
            #expect(response.status == 200, "expected 200, got \(response.status): \(response.bodyText)")
            #expect(response.header("Content-Type") == "application/json")
            let json = try JSONParser.parse(response.body)
            let lrs = try #require(json["lrs"]?.arrayValue)
            #expect(
                lrs.last == .double(0.07290000000000002),
                "epoch 30: expected 0.07290000000000002, got \(String(describing: lrs.last))"
            )
        }
    }

    @Test func oversizeBodyIs413ProblemJSON() throws {
        try withServer(maxBodyBytes: 64) { port in
            let response = try post("/v1/schedules", String(repeating: " ", count: 100), port: port)
            #expect(response.status == 413, "expected 413, got \(response.status)")
            #expect(response.header("Content-Type") == "application/problem+json")
            let json = try JSONParser.parse(response.body)
            #expect(json["status"] == .integer(413), "body: \(response.bodyText)")
        }
    }

    @Test func smugglingGuardsAnswerProblemJSON() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            try client.send(
                "POST /v1/schedules HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}"
            )
            let response = try client.readResponse()
            #expect(response.status == 400, "duplicate Content-Length: expected 400, got \(response.status)")
            #expect(response.header("Content-Type") == "application/problem+json")
        }
    }
}

/// The `lrsched` binary built next to the test bundle (the same build directory, whatever the
/// scratch path or configuration), so the tests never run a stale binary from another build.
func lrschedBinary() throws -> URL {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = bundle.deletingLastPathComponent()
    // The test runner is `<build dir>/lrschedPackageTests.xctest` (Linux) or inside it (macOS).
    while directory.pathComponents.count > 1,
        directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
            || directory.lastPathComponent == "Contents"
    {
        directory = directory.deletingLastPathComponent()
    }
    let candidate = directory.appendingPathComponent("lrsched")
    try #require(
        FileManager.default.isExecutableFile(atPath: candidate.path),
        "lrsched binary not found at \(candidate.path); build it with `swift build --build-tests`"
    )
    return candidate
}

@Suite("lrsched command line")
struct CommandLineTests {
    @Test func evalPrintsWhatTheServerReturns() throws {
        let spec = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":30,"start":1}"#
        let expected = ScheduleService().evaluateSchedule(body: Array(spec.utf8)).body
        try expectCommand(["eval", "-"], input: spec, prints: expected)
    }

    @Test("eval --format csv|svg prints what ?format= answers, for a request and for a batch")
    func evalFormats() throws {
        let spec = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":30,"start":1}"#
        let svg = schedule(spec, query: "format=svg&scale=log&width=640").body
        try expectCommand(
            ["eval", "--format", "svg", "--scale", "log", "--width", "640", "-"],
            input: spec,
            prints: svg
        )
        let batchBody =
            #"{"requests":[\#(spec),{"scheduler":"ExponentialLR","lr":0.1,"params":{"gamma":0.5},"epochs":3}]}"#
        try expectCommand(
            ["eval", "--format", "csv", "-"],
            input: batchBody,
            prints: batch(batchBody, query: "format=csv").body
        )
    }

    @Test(
        "flags and environment are refused the same way: one message naming both, exit status 64",
        arguments: [
            (["serve", "--max-body-bytes", "0"], [String: String](), "--max-body-bytes / LRSCHED_MAX_BODY_BYTES"),
            (["serve", "--max-connections", "0"], [:], "--max-connections / LRSCHED_MAX_CONNECTIONS"),
            (["serve"], ["LRSCHED_SHUTDOWN_GRACE": "-1"], "--shutdown-grace / LRSCHED_SHUTDOWN_GRACE"),
            (
                ["serve"], ["LRSCHED_PORT": ""],
                "--port / LRSCHED_PORT must be an integer from 0 to 65535, got an empty value"
            ),
            (["serve", "--host", "example.com"], [:], "--host / LRSCHED_HOST"),
            (["frobnicate"], [:], "unknown command 'frobnicate'"),
        ]
    )
    func refusesNonsense(_ arguments: [String], _ environment: [String: String], _ message: String) throws {
        let process = Process()
        process.executableURL = try lrschedBinary()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LRSCHED_") && $0.key != "PORT" }
        env.merge(environment) { $1 }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 64, "\(arguments) \(environment): exit \(process.terminationStatus)")
        #expect(text.contains(message), "\(arguments) \(environment): expected \"\(message)\" in \(text)")
    }

    @Test func trainPrintsWhatTheServerReturns() throws {
        let expected = ScheduleService().runTraining(body: Array(TrainingRouteTests.seedLoop.utf8)).body
        try expectCommand(["train", "-"], input: TrainingRouteTests.seedLoop, prints: expected)
    }

    /// Runs `lrsched arguments` with `input` on stdin; expects exit 0 and exactly `expected` on stdout.
    func expectCommand(_ arguments: [String], input spec: String, prints expected: [UInt8]) throws {
        let process = Process()
        process.executableURL = try lrschedBinary()
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(spec.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(
            process.terminationStatus == 0,
            "\(arguments): exit status: expected 0, got \(process.terminationStatus)"
        )
        #expect([UInt8](printed) == expected, "\(arguments) printed \(String(decoding: printed, as: UTF8.self))")
    }

    @Test("SIGTERM: /readyz flips to 503 while the drain delay keeps serving, then a clean stop")
    func sigtermStopsGracefully() throws {
        let process = Process()
        process.executableURL = try lrschedBinary()
        process.arguments = ["serve", "--port", "0", "--threads", "2", "--drain-delay", "2"]
        var environment = ProcessInfo.processInfo.environment
        environment["LRSCHED_HOST"] = nil
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The start-up line names the address: "lrsched listening on http://127.0.0.1:PORT".
        // Reads are bounded by poll(2) so that a silent child cannot hang the test.
        var log = ""
        var port: Int?
        let deadline = Date().addingTimeInterval(20)
        var reader = pollfd(fd: errors.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while port == nil, Date() < deadline {
            guard poll(&reader, 1, 200) > 0 else { continue }
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
            if let range = log.range(of: "http://127.0.0.1:") {
                port = Int(log[range.upperBound...].prefix { $0.isNumber })
            }
        }
        let bound = try #require(port, "no start-up line with the address in: \(log)")
        let health = try RawHTTPClient(port: bound)
        try health.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try health.readResponse().status == 200)
        let ready = try RawHTTPClient(port: bound)
        try ready.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try ready.readResponse().status == 200, "/readyz before SIGTERM")
        kill(process.processIdentifier, SIGTERM)
        // During the drain delay: not ready, still alive and serving, new connections included.
        var flipped = false
        let flipDeadline = Date().addingTimeInterval(1.5)
        while !flipped && Date() < flipDeadline {
            let probe = try RawHTTPClient(port: bound)
            try probe.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
            flipped = try probe.readResponse().status == 503
            if !flipped { usleep(20_000) }
        }
        #expect(flipped, "/readyz did not answer 503 within 1.5 s of SIGTERM")
        try health.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try health.readResponse().status == 200, "/healthz during the drain delay")
        let stopDeadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < stopDeadline { usleep(20_000) }
        try #require(!process.isRunning, "lrsched still runs 20 s after SIGTERM")
        #expect(
            process.terminationReason == .exit && process.terminationStatus == 0,
            "after SIGTERM: expected a clean exit 0, got \(process.terminationReason) \(process.terminationStatus)"
        )
    }
}
