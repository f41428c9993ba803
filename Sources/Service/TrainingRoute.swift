import JSON
import Schedules
import Training

extension ScheduleService {
    /// `POST /v1/training-runs` on a raw body: the status and the exact body the server sends.
    public func runTraining(body: [UInt8]) -> (status: Int, body: [UInt8]) {
        do throws(Problem) {
            let json = try parseBody(body)
            let result: TrainingResult
            let request: TrainingRequest
            do throws(ScheduleError) {
                request = try TrainingRequest.decode(json, limits: configuration.trainingLimits)
                result = try request.run()
            } catch {
                throw Problem(error)
            }
            return (200, Self.encode(result, request: request))
        } catch {
            return (error.kind.status, error.body)
        }
    }

    /// The answer of a training run. Losses and LRs are finite by construction (the run stops at
    /// the first non-finite loss and reports `diverged_at`).
    static func encode(_ result: TrainingResult, request: TrainingRequest) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: 128 + (result.lrs.count * 3 + result.stepLRs.count) * 24)
        w.beginObject()
        w.key("epochs"); w.int(request.epochs)
        w.key("lrs"); w.doubles(result.lrs)
        if request.interval == .step {
            w.key("step_lrs"); w.doubles(result.stepLRs)
        }
        w.key("train_loss"); w.doubles(result.trainLoss)
        if let validation = result.validationLoss {
            w.key("val_loss"); w.doubles(validation)
        }
        w.key("steps"); w.int(result.steps)
        if let last = result.trainLoss.last {
            w.key("final")
            w.beginObject()
            w.key("train_loss"); w.double(last)
            if let v = result.validationLoss?.last {
                w.key("val_loss"); w.double(v)
            }
            w.endObject()
        }
        if let diverged = result.divergedAt {
            w.key("diverged_at"); w.int(diverged)
        }
        w.endObject()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }
}
