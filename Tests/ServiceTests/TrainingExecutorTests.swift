import Dispatch
import Foundation
import HTTPServer
import Synchronization
import Testing
import Training

@testable import Service

/// A value several threads update.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Locked<Value>
    init(_ value: Value) { mutex = Locked(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

/// Training runs off the connection threads: a bounded pool, a bounded queue, cancellation.
@Suite("training executor")
struct JobExecutorTests {
    /// A job that waits until `release` is signalled (or it is cancelled) and records its answer.
    func blockingJob(_ release: DispatchSemaphore, answers: Shared<[Int]>, done: DispatchGroup) -> JobExecutor.Job {
        done.enter()
        return JobExecutor.Job(
            enqueued: .now,
            run: { cancellation in
                while release.wait(timeout: .now() + .milliseconds(5)) == .timedOut {
                    if cancellation.isCancelled { return .problem(JobExecutor.stopping) }
                }
                return .health
            },
            done: { answer in
                answers.withLock { $0.append(answer.status.code) }
                done.leave()
            }
        )
    }

    @Test("runs up to the limit, queues up to the queue length, refuses beyond")
    func limits() {
        let executor = JobExecutor(limit: 1, queueLength: 1, queueTimeout: .seconds(10))
        let release = DispatchSemaphore(value: 0)
        let answers = Shared<[Int]>([])
        let done = DispatchGroup()
        #expect(executor.submit(blockingJob(release, answers: answers, done: done)), "the first job must start")
        #expect(executor.submit(blockingJob(release, answers: answers, done: done)), "the second job must queue")
        let third = DispatchGroup()
        #expect(!executor.submit(blockingJob(release, answers: answers, done: third)), "the third job must be refused")
        third.leave()
        #expect(executor.load.running == 1 && executor.load.queued == 1, "load \(executor.load)")
        release.signal()
        release.signal()
        #expect(done.wait(timeout: .now() + 5) == .success, "both jobs must finish")
        #expect(answers.withLock { $0 } == [200, 200], "answers \(answers.withLock { $0 })")
    }

    @Test("cancelAll stops the running job and answers the queued one 503")
    func cancelAll() {
        let executor = JobExecutor(limit: 1, queueLength: 4, queueTimeout: .seconds(10))
        let release = DispatchSemaphore(value: 0)
        let answers = Shared<[Int]>([])
        let done = DispatchGroup()
        _ = executor.submit(blockingJob(release, answers: answers, done: done))
        _ = executor.submit(blockingJob(release, answers: answers, done: done))
        Thread.sleep(forTimeInterval: 0.05)
        executor.cancelAll()
        #expect(done.wait(timeout: .now() + 5) == .success, "cancelled jobs must finish")
        #expect(answers.withLock { $0.sorted() } == [503, 503], "answers \(answers.withLock { $0 })")
        #expect(
            !executor.submit(blockingJob(release, answers: answers, done: DispatchGroup())),
            "a stopping executor refuses jobs"
        )
    }

    @Test("a job that waited past the queue timeout is answered 503 without running")
    func queueTimeout() {
        let executor = JobExecutor(limit: 1, queueLength: 1, queueTimeout: .milliseconds(50))
        let release = DispatchSemaphore(value: 0)
        let answers = Shared<[Int]>([])
        let done = DispatchGroup()
        _ = executor.submit(blockingJob(release, answers: answers, done: done))
        _ = executor.submit(blockingJob(release, answers: answers, done: done))
        Thread.sleep(forTimeInterval: 0.2)
        release.signal()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(answers.withLock { $0 } == [200, 503], "answers \(answers.withLock { $0 })")
    }

    @Test("the server path defers training runs and answers with the same bytes as the direct path")
    func deferredRoute() throws {
        let application = Application()
        let service = application.service
        let request = HTTPRequest(
            method: .post,
            path: "/v1/training-runs",
            body: Array(TrainingRouteTests.seedLoop.utf8)
        )
        guard case .deferred(let start) = application.respond(to: request) else {
            Issue.record("POST /v1/training-runs must be deferred")
            return
        }
        let got = Shared<HTTPResponse?>(nil)
        let finished = DispatchSemaphore(value: 0)
        start { response in
            got.withLock { $0 = response }
            finished.signal()
        }
        #expect(finished.wait(timeout: .now() + 10) == .success, "the run must answer")
        let response = try #require(got.withLock { $0 })
        #expect(response.status == 200)
        #expect(response.body == service.runTraining(body: request.body).body, "deferred and direct answers differ")
        guard
            case .response(let bad) = application.respond(
                to: HTTPRequest(method: .post, path: "/v1/training-runs", body: Array("{".utf8))
            )
        else {
            Issue.record("a malformed body must be answered at once")
            return
        }
        #expect(bad.status == 400)
    }
}
