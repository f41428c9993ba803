import JSON
import Schedules
import Training

extension ScheduleService {
    /// `POST /v1/training-runs` on a raw body.
    public func trainingAnswer(body: [UInt8]) -> Answer {
        do throws(Problem) {
            let json = try parseBody(body)
            let request: TrainingRequest
            do throws(ScheduleError) {
                request = try TrainingRequest.decode(json, limits: configuration.trainingLimits)
            } catch {
                throw Problem(error)
            }
            do throws(TrainingRunError) {
                return .training(TrainingAnswer(request: request, result: try request.run()))
            } catch {
                throw Problem(error)
            }
        } catch {
            return .problem(error)
        }
    }

    /// `POST /v1/training-runs` on a raw body: the status and the exact body the server sends
    /// (`lrsched train` prints the same bytes).
    public func runTraining(body: [UInt8]) -> (status: Int, body: [UInt8]) {
        let answer = trainingAnswer(body: body)
        return (answer.status, JSONRenderer.body(answer))
    }
}
