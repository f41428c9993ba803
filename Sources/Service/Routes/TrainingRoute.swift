import JSON
import Schedules
import Training

extension ScheduleService {
    /// `POST /v1/training-runs` on a raw body.
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
        return (answer.status, JSONRenderer.body(answer))
    }
}
