import Dispatch
import Foundation
import HTTPServer
import Service
import Testing

/// Expensive schedule requests are evaluated off the connection threads: the server path defers
/// them (and answers the same bytes), answers cheap and invalid ones at once, and refuses an
/// expensive one 503 before any work when the evaluation queue is full.
@Suite("expensive evaluations off the connection threads")
struct EvaluationOffloadTests {
    static func post(_ path: String, _ body: String) -> HTTPRequest {
        HTTPRequest(method: .post, path: path, body: Array(body.utf8))
    }

    static let heavy = #"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":100},"epochs":5000}"#
    static let cheap = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10},"epochs":30}"#

    /// Runs a deferred answer to completion.
    static func finish(
        _ start: @escaping @Sendable (@escaping @Sendable (HTTPResponse) -> Void) -> Void
    ) -> HTTPResponse? {
        let got = Shared<HTTPResponse?>(nil)
        let finished = DispatchSemaphore(value: 0)
        start { response in
            got.withLock { $0 = response }
            finished.signal()
        }
        _ = finished.wait(timeout: .now() + 10)
        return got.withLock { $0 }
    }

    @Test(
        "requests over --inline-work are deferred and answered with the direct path's bytes; the rest at once",
        arguments: ["/v1/schedules", "/v1/schedules/batch"]
    )
    func deferral(_ path: String) throws {
        var configuration = ServiceConfiguration()
        configuration.inlineWork = 1000
        let service = Application(configuration: configuration)
        let wrap = { (body: String) in path == "/v1/schedules" ? body : #"{"requests":["# + body + "]}" }
        let request = Self.post(path, wrap(Self.heavy))
        guard case .deferred(let start) = service.respond(to: request) else {
            Issue.record("\(path): a request of work 5000 over an inline limit of 1000 must be deferred")
            return
        }
        let response = try #require(Self.finish(start), "\(path): the deferred evaluation never answered")
        #expect(response.status == 200, "\(path): deferred status \(response.status)")
        #expect(response.body == service.handle(request).body, "\(path): deferred and direct answers differ")
        for body in [wrap(Self.cheap), "{", wrap(#"{"scheduler":"StepLR","lr":0.1,"epochs":3}"#)] {
            guard case .response(let direct) = service.respond(to: Self.post(path, body)) else {
                Issue.record("\(path): \(body) is cheap or invalid and must be answered at once")
                continue
            }
            #expect(direct.status != 503, "\(path): \(body) answered \(direct.status)")
        }
    }

    @Test("an answer that alone would exceed the answer budget is refused 503 at once; SVG and smaller ones are not")
    func tooLarge() throws {
        var configuration = ServiceConfiguration()
        configuration.responseMemory = ResponseMemory(budget: 100_000)
        let service = Application(configuration: configuration)
        let big = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10},"epochs":50000}"#
        guard case .response(let refused) = service.respond(to: Self.post("/v1/schedules", big)) else {
            Issue.record("a 50,000-value answer over a 100,000-byte budget must be refused at once")
            return
        }
        #expect(refused.status == 503, "50,000 values over a 100,000-byte budget: status \(refused.status)")
        let chart = HTTPRequest(method: .post, path: "/v1/schedules", query: "format=svg", body: Array(big.utf8))
        guard case .deferred(let start) = service.respond(to: chart) else {
            Issue.record("the chart of the same schedule is small and must be evaluated (deferred: its work is 50,000)")
            return
        }
        #expect(Self.finish(start)?.status == 200, "the chart must be answered")
        let sampled = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10},"epochs":50000,"every":100}"#
        guard case .deferred(let sampledStart) = service.respond(to: Self.post("/v1/schedules", sampled)) else {
            Issue.record("500 sampled values fit the budget and must be evaluated")
            return
        }
        #expect(Self.finish(sampledStart)?.status == 200, "the sampled answer must be answered")
    }

    @Test(
        "an answer that would pass the budget with the answers already in memory is refused 503 at once",
        arguments: [20_000, 1000]
    )
    func memoryFull(inlineWork: Int) throws {
        var configuration = ServiceConfiguration()
        configuration.inlineWork = inlineWork
        let memory = ResponseMemory(budget: 1_000_000)
        configuration.responseMemory = memory
        let application = Application(configuration: configuration)
        // 10,000 values: about 200,000 bytes, well inside the budget alone.
        let body = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10},"epochs":10000}"#
        #expect(memory.reserve(900_000), "an empty ledger must take 900,000 of 1,000,000 bytes")
        let began = ContinuousClock.now
        let refused = application.handle(Self.post("/v1/schedules", body))
        let took = ContinuousClock.now - began
        #expect(refused.status == 503, "with 900,000 bytes in use: status \(refused.status)")
        #expect(refused.headerFields[.retryAfter] == "1", "no Retry-After: 1")
        #expect(took < .milliseconds(50), "the refusal took \(took): it must come before any work")
        let small = application.handle(
            Self.post("/v1/schedules", #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10},"epochs":100}"#)
        )
        #expect(small.status == 200, "a small answer always passes: status \(small.status)")
        memory.release(900_000)
        let answered = application.handle(Self.post("/v1/schedules", body))
        #expect(answered.status == 200, "with the memory free again: status \(answered.status)")
        // A deferred answer returns its reservation right after delivering it.
        for _ in 0..<100 where memory.bytesInUse != 0 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(memory.bytesInUse == 0, "the answer's reservation must be returned: \(memory.bytesInUse) bytes in use")
    }

    @Test("a full evaluation queue refuses an expensive request 503 with Retry-After, before any work")
    func busy() throws {
        var configuration = ServiceConfiguration()
        configuration.inlineWork = 1000
        configuration.evaluationWorkers = 1
        configuration.evaluationQueueLength = 0
        let service = Application(configuration: configuration)
        // One long evaluation holds the only worker.
        let long = #"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":100},"epochs":1000000}"#
        guard case .deferred(let first) = service.respond(to: Self.post("/v1/schedules", long)) else {
            Issue.record("the long request must be deferred")
            return
        }
        let firstDone = DispatchSemaphore(value: 0)
        first { _ in firstDone.signal() }
        guard case .deferred(let second) = service.respond(to: Self.post("/v1/schedules", Self.heavy)) else {
            Issue.record("the second expensive request must be deferred")
            return
        }
        let began = ContinuousClock.now
        let refused = try #require(Self.finish(second), "the refused request never answered")
        let took = ContinuousClock.now - began
        #expect(refused.status == 503, "the second request got \(refused.status) while the only worker was busy")
        #expect(refused.headerFields[.retryAfter] == "1", "no Retry-After: 1")
        #expect(took < .milliseconds(500), "the refusal took \(took): it must come before any work")
        _ = firstDone.wait(timeout: .now() + 30)
    }
}

@Suite("readiness under saturation")
struct SaturationTests {
    @Test("/readyz answers 503 saturated while the evaluation pool and queue stay full, and 200 once they drain")
    func saturation() throws {
        var configuration = ServiceConfiguration()
        configuration.inlineWork = 1000
        configuration.evaluationWorkers = 1
        configuration.evaluationQueueLength = 0
        configuration.saturationPeriod = .milliseconds(100)
        let service = Application(configuration: configuration)
        let readyz = HTTPRequest(method: .get, path: "/readyz")
        #expect(service.handle(readyz).status == 200, "an idle service must be ready")
        let long = #"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":100},"epochs":1000000}"#
        guard case .deferred(let first) = service.respond(to: EvaluationOffloadTests.post("/v1/schedules", long))
        else {
            Issue.record("the long request must be deferred")
            return
        }
        let firstDone = DispatchSemaphore(value: 0)
        first { _ in firstDone.signal() }
        guard
            case .deferred(let second) = service.respond(
                to: EvaluationOffloadTests.post("/v1/schedules", EvaluationOffloadTests.heavy)
            )
        else {
            Issue.record("the second request must be deferred")
            return
        }
        let refused = EvaluationOffloadTests.finish(second)
        #expect(refused?.status == 503, "the second request must be refused while the only worker is busy")
        Thread.sleep(forTimeInterval: 0.15)
        let saturated = service.handle(readyz)
        if firstDone.wait(timeout: .now()) == .timedOut {
            // Still running: the pool has been full for longer than the saturation period.
            #expect(saturated.status == 503, "/readyz answered \(saturated.status) while saturated")
            #expect(
                String(decoding: saturated.body, as: UTF8.self).contains("saturated"),
                "the body must say saturated"
            )
        }
        _ = firstDone.wait(timeout: .now() + 30)
        // The worker frees its slot right after it delivers the answer.
        var status = service.handle(readyz).status
        for _ in 0..<100 where status != 200 {
            Thread.sleep(forTimeInterval: 0.01)
            status = service.handle(readyz).status
        }
        #expect(status == 200, "/readyz answered \(status) after the pool drained; it must recover")
    }
}
