import Dispatch
import Foundation
import HTTPServer
import JSON
import Testing

@testable import Service

/// Collects access records in memory.
final class RecordingSink: AccessLogSink {
    let records = Shared<[AccessRecord]>([])
    func record(_ record: AccessRecord) { records.withLock { $0.append(record) } }
}

/// The application `serve` runs: one route table, the middleware around every route, one
/// admission path for training runs.
@Suite("the application: routes, middleware, admission")
struct ApplicationTests {
    @Test("every route answers HEAD where it answers GET, and 405 with the table's Allow otherwise")
    func methodsFromTheTable() {
        let application = Application()
        for route in Router.lrsched.routes {
            let allow = route.allowed.map(\.rawValue).joined(separator: ", ")
            if route.methods.contains(.get) {
                let head = application.handle(HTTPRequest(method: .head, path: route.path))
                #expect(head.status != 405, "HEAD \(route.path): got \(head.status), expected the GET answer")
            }
            let other: HTTPMethod = route.methods.contains(.post) ? .put : .post
            let refused = application.handle(HTTPRequest(method: other, path: route.path))
            #expect(refused.status == 405, "\(other) \(route.path): expected 405, got \(refused.status)")
            #expect(
                refused.headerFields[.allow] == allow,
                "\(other) \(route.path): Allow \(String(describing: refused.headerFields[.allow])), expected \(allow)"
            )
        }
    }

    @Test("a near-miss path is answered 404 with the table's closest route")
    func suggestions() throws {
        let application = Application()
        for (sent, meant) in [
            ("/v1/schedule", "/v1/schedules"), ("/HEALTHZ", "/healthz"), ("/v1/schedulers/", "/v1/schedulers"),
        ] {
            let response = application.handle(HTTPRequest(method: .get, path: sent))
            let detail = (try? JSONParser.parse(response.body))?["detail"]?.stringValue ?? ""
            #expect(response.status == 404, "\(sent): status \(response.status)")
            #expect(detail.contains("did you mean \(meant)?"), "\(sent): detail \(detail)")
        }
    }

    @Test("every answer carries its request id once, now or deferred; a problem's instance names it")
    func requestIDs() throws {
        let application = Application()
        let id = HTTPField.Name("X-Request-ID")!
        let given = HTTPRequest(method: .get, path: "/nowhere", headerFields: [id: "abc-123"])
        let answered = application.handle(given)
        #expect(answered.headerFields[values: id] == ["abc-123"], "ids: \(answered.headerFields[values: id])")
        let instance = (try? JSONParser.parse(answered.body))?["instance"]?.stringValue
        #expect(instance == "urn:lrsched:request:abc-123", "instance: \(String(describing: instance))")
        let training = HTTPRequest(
            method: .post,
            path: "/v1/training-runs",
            headerFields: [id: "run-1"],
            body: Array(TrainingRouteTests.seedLoop.utf8)
        )
        let deferred = application.handle(training)
        #expect(deferred.status == 200, "training: \(deferred.status)")
        #expect(deferred.headerFields[values: id] == ["run-1"], "deferred ids: \(deferred.headerFields[values: id])")
        let fresh = application.handle(HTTPRequest(method: .get, path: "/healthz"))
        let generated = fresh.headerFields[values: id]
        #expect(generated.count == 1 && RequestID.isSane(generated[0]), "generated ids: \(generated)")
    }

    @Test("the access log gets one record per answer, named by the route the table matched")
    func accessLog() throws {
        let sink = RecordingSink()
        let application = Application(accessLog: sink)
        _ = application.handle(HTTPRequest(method: .get, path: "/healthz"))
        _ = application.handle(HTTPRequest(method: .delete, path: "/v1/schedules"))
        _ = application.handle(HTTPRequest(method: .get, path: "/secret/../etc"))
        _ = application.handle(
            HTTPRequest(method: .post, path: "/v1/training-runs", body: Array(TrainingRouteTests.seedLoop.utf8))
        )
        let records = sink.records.withLock { $0 }
        let seen = records.map { "\($0.method) \($0.route) \($0.status)" }
        #expect(
            seen == ["GET healthz 200", "DELETE schedules 405", "GET not_found 404", "POST training_runs 200"],
            "records: \(seen)"
        )
        #expect(records.allSatisfy { RequestID.isSane($0.requestID) }, "ids: \(records.map(\.requestID))")
        #expect(records[2].path == "/secret/../etc", "the record keeps the path as sent: \(records[2].path)")
    }

    @Test("metrics label requests by the table's route names, not_found last")
    func metricLabels() {
        let labels = Router.lrsched.labels
        #expect(labels.last == "not_found", "labels: \(labels)")
        #expect(Set(labels).count == labels.count, "labels must be distinct: \(labels)")
        #expect(
            labels.contains("schedules_batch") && labels.contains("training_runs"),
            "the dashboards' names must stay: \(labels)"
        )
    }

    @Test("training runs have one admission path: beyond the executor's slots and queue, 503 with Retry-After")
    func trainingAdmission() throws {
        var configuration = ServiceConfiguration()
        configuration.maxConcurrentTrainingRuns = 1
        configuration.trainingQueueLength = 0
        let application = Application(configuration: configuration)
        let release = DispatchSemaphore(value: 0)
        let held = JobExecutor.Job(
            enqueued: .now,
            run: { _ in
                release.wait()
                return .health
            },
            done: { _ in }
        )
        #expect(application.service.trainingExecutor.submit(held), "the only slot must be free at first")
        let refused = application.handle(
            HTTPRequest(method: .post, path: "/v1/training-runs", body: Array(TrainingRouteTests.seedLoop.utf8))
        )
        release.signal()
        #expect(refused.status == 503, "a run while the only slot is taken: expected 503, got \(refused.status)")
        #expect(
            refused.headerFields[.retryAfter] == "1",
            "Retry-After: \(String(describing: refused.headerFields[.retryAfter]))"
        )
        var status: HTTPStatus = 503
        for _ in 0..<200 where status == 503 {
            status =
                application.handle(
                    HTTPRequest(method: .post, path: "/v1/training-runs", body: Array(TrainingRouteTests.seedLoop.utf8))
                ).status
            if status == 503 { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(status == 200, "with the slot free again: expected 200, got \(status)")
    }
}
