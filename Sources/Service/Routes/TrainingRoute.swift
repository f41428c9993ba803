import HTTPServer
import JSON
import Schedules
import Training

extension ScheduleService {
    /// `POST /v1/training-runs`: decoded on the connection's thread, then run by the training
    /// executor, the one admission path for runs (the connection waits suspended, its thread does
    /// not); 503 `busy` with `Retry-After` at once when its slots and queue are taken.
    func training(_ request: HTTPRequest) -> Reply {
        let training: TrainingRequest
        switch decodeTraining(body: request.body) {
        case .success(let decoded): training = decoded
        case .failure(let problem): return .now(.problem(problem))
        }
        let executor = trainingExecutor
        let service = self
        return .later { deliver in
            let job = JobExecutor.Job(
                enqueued: .now,
                run: { cancellation in service.run(training, cancellation: cancellation) },
                done: { answer in
                    if case .problem(let problem) = answer, problem.kind == .busy { service.metrics.training("busy") }
                    deliver(answer)
                }
            )
            if !executor.submit(job) {
                service.metrics.training("busy")
                let (running, queued) = executor.load
                deliver(
                    .problem(
                        Problem.busy("\(running) training run(s) are running and \(queued) waiting; retry in a moment")
                    )
                )
            }
        }
    }

    /// `POST /v1/training-runs` on a raw body, run at once on the calling thread (`lrsched train`).
    public func trainingAnswer(body: [UInt8]) -> Answer {
        switch decodeTraining(body: body) {
        case .success(let request): run(request, cancellation: nil)
        case .failure(let problem): .problem(problem)
        }
    }

    /// Parses and validates a training-run body.
    func decodeTraining(body: [UInt8]) -> Result<TrainingRequest, Problem> {
        do throws(Problem) {
            let json = try parseBody(body)
            do throws(ScheduleError) {
                return .success(try TrainingRequest.decode(json, limits: configuration.trainingLimits))
            } catch {
                throw Problem(error)
            }
        } catch {
            return .failure(error)
        }
    }

    /// Runs a validated training request, counting it in the metrics.
    func run(_ request: TrainingRequest, cancellation: TrainingCancellation?) -> Answer {
        metrics.training("started")
        do throws(TrainingRunError) {
            let result = try request.run(cancellation: cancellation)
            metrics.training(result.divergedAt == nil ? "finished" : "diverged")
            return .training(TrainingAnswer(request: request, result: result))
        } catch {
            metrics.training("failed")
            return .problem(Problem(error))
        }
    }

    /// `POST /v1/training-runs` on a raw body: the status and the exact body the server sends
    /// (`lrsched train` prints the same bytes).
    public func runTraining(body: [UInt8]) -> (status: Int, body: [UInt8]) {
        let answer = trainingAnswer(body: body)
        return (answer.status.code, JSONRenderer.body(answer))
    }
}
