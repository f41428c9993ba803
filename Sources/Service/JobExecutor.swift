import Dispatch
import HTTPServer
import Synchronization
import Training

/// Runs jobs off the server's connection threads (training runs, and expensive schedule
/// evaluations on a second instance): at most `limit` at once, the rest in a first-in, first-out
/// queue of at most `queueLength` that a job may wait in for `queueTimeout`.
///
/// A job that finds the queue full is refused at once; one that waited too long is answered busy
/// without running. `cancelAll()` (a stopping server) stops the running jobs at their next
/// optimizer step and answers the queued ones busy.
final class JobExecutor: Sendable {
    /// One job: `run` produces the answer (it should stop when its cancellation says so), `done`
    /// delivers it.
    struct Job: Sendable {
        let enqueued: ContinuousClock.Instant
        let run: @Sendable (TrainingCancellation) -> Answer
        let done: @Sendable (Answer) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var running = 0
        var cancellations: [ObjectIdentifier: TrainingCancellation] = [:]
        var stopping = false
        /// Since when every slot and the whole queue have been taken (nil: there was room since).
        var fullSince: ContinuousClock.Instant?
    }

    /// Runs that may execute at once.
    let limit: Int
    /// Jobs that may wait.
    let queueLength: Int
    /// How long a job may wait before it is answered busy.
    let queueTimeout: Duration
    private let state = Locked(State())
    private let workers = DispatchQueue(label: "lrsched.executor", attributes: .concurrent)

    /// What the jobs are, for messages ("training", "evaluation").
    let name: String

    init(limit: Int, queueLength: Int, queueTimeout: Duration, name: String = "training") {
        self.name = name
        self.limit = max(1, limit)
        self.queueLength = max(0, queueLength)
        self.queueTimeout = queueTimeout
    }

    /// Starts `job` or queues it; false (and nothing runs) when the queue is full or the executor
    /// is stopping.
    func submit(_ job: Job) -> Bool {
        let start: Bool? = state.withLock { state in
            if state.stopping { return nil }
            if state.running < limit {
                state.running += 1
                return true
            }
            guard state.queue.count < queueLength else {
                if state.fullSince == nil { state.fullSince = .now }
                return nil
            }
            state.queue.append(job)
            if state.queue.count == queueLength, state.fullSince == nil { state.fullSince = .now }
            return false
        }
        guard let start else { return false }
        if start { workers.async { self.work(job) } }
        return true
    }

    /// Jobs running and waiting now.
    var load: (running: Int, queued: Int) { state.withLock { ($0.running, $0.queue.count) } }

    /// Whether every slot and the whole queue have stayed taken for at least `duration`: work
    /// arrives faster than it is done, and a load balancer should prefer another replica. It
    /// ends once the queue is down to half (or a slot is free).
    func saturated(for duration: Duration) -> Bool {
        state.withLock { state in state.fullSince.map { ContinuousClock.now - $0 >= duration } ?? false }
    }

    /// Stops the running jobs at their next step and answers the queued ones busy; refuses new ones.
    func cancelAll() {
        let queued: [Job] = state.withLock { state in
            state.stopping = true
            for cancellation in state.cancellations.values { cancellation.cancel() }
            defer { state.queue.removeAll() }
            return state.queue
        }
        for job in queued { job.done(.problem(Self.stopping)) }
    }

    private func work(_ first: Job) {
        var job = first
        // Only a job that waited in the queue can time out: the first one got its slot at once.
        var queued = false
        while true {
            if queued && ContinuousClock.now - job.enqueued > queueTimeout {
                job.done(
                    .problem(
                        Problem.busy("the \(name) queue was full for \(queueTimeout); retry in a moment")
                    )
                )
            } else {
                let cancellation = TrainingCancellation()
                let id = ObjectIdentifier(cancellation)
                let cancelled = state.withLock { state in
                    state.cancellations[id] = cancellation
                    return state.stopping
                }
                if cancelled { cancellation.cancel() }
                let answer = job.run(cancellation)
                _ = state.withLock { $0.cancellations.removeValue(forKey: id) }
                job.done(answer)
            }
            let next: Job? = state.withLock { state in
                guard !state.queue.isEmpty else {
                    state.running -= 1
                    state.fullSince = nil
                    return nil
                }
                let next = state.queue.removeFirst()
                if state.queue.count <= queueLength / 2 { state.fullSince = nil }
                return next
            }
            guard let next else { return }
            job = next
            queued = true
        }
    }

    static let stopping = Problem.busy("the server is shutting down; retry on another instance")
}
