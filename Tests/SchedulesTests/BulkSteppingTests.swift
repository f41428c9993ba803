import JSON
import Testing

@testable import Schedules

/// `evaluate()` steps a schedule in one run (`LiveSchedule.step(_:appendingTo:)`); these check it
/// against stepping one call at a time: the same bits, and the same error at the same step.
@Suite("Bulk stepping")
struct BulkSteppingTests {
    /// The values (or the error) of `json` one `step()` at a time.
    static func stepByStep(_ request: ScheduleRequest) -> Result<[Double], ScheduleError> {
        do throws(ScheduleError) {
            let schedule = try LiveSchedule(request.scheduler, lrs: request.lrs)
            var values: [Double] = []
            if request.start == 0 { values.append(schedule.lr) }
            for step in 0..<(request.start + request.epochs - 1) {
                try schedule.step()
                if step + 1 >= request.start { values.append(schedule.lr) }
            }
            return .success(values)
        } catch {
            return .failure(error)
        }
    }

    static let cases = [
        #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3,"gamma":0.7},"epochs":40}"#,
        #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3,"gamma":0.7},"epochs":40,"start":7}"#,
        #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3,"gamma":0.7},"epochs":1,"start":1}"#,
        #"{"scheduler":"CosineAnnealingLR","lr":0.3,"params":{"T_max":17,"eta_min":0.001},"epochs":80}"#,
        #"{"scheduler":"CosineAnnealingLR","lr":0.3,"params":{"T_max":5},"epochs":30,"start":4}"#,
        #"{"scheduler":"ExponentialLR","lr":0.1,"params":{"gamma":1e300},"epochs":5}"#,
        #"{"scheduler":"MultiplicativeLR","lr":0.1,"params":{"lr_lambda":"1.0 / (epoch - 3)"},"epochs":8}"#,
        #"{"scheduler":"MultiplicativeLR","lr":0.1,"params":{"lr_lambda":"1.0 / (epoch - 3)"},"epochs":3,"start":6}"#,
        #"{"scheduler":"StepLR","lr":[0.1,0.02],"params":{"step_size":2},"epochs":9}"#,
        #"{"scheduler":"CyclicLR","lr":0.1,"params":{"base_lr":0.01,"max_lr":0.1,"step_size_up":4},"epochs":25}"#,
        // The torch classes with their own step() (ChainedScheduler is above).
        #"{"scheduler":"CosineAnnealingWarmRestarts","lr":0.1,"params":{"T_0":5,"T_mult":2,"eta_min":0.001},"epochs":40}"#,
        #"{"scheduler":"SequentialLR","lr":0.1,"params":{"schedulers":[{"scheduler":"LinearLR","params":{"start_factor":0.1,"total_iters":2}},{"scheduler":"CosineAnnealingLR","params":{"T_max":8}}],"milestones":[3]},"epochs":20}"#,
        #"{"framework":"transformers","scheduler":"cosine","lr":0.001,"params":{"num_warmup_steps":5,"num_training_steps":50},"epochs":60}"#,
        #"{"framework":"optax","scheduler":"cosine_decay_schedule","params":{"init_value":0.1,"decay_steps":20},"epochs":30,"start":3}"#,
    ]

    @Test("evaluate() gives the bits and errors of stepping one call at a time", arguments: cases)
    func matchesStepByStep(_ json: String) throws {
        let request = try ScheduleRequest.decode(JSONParser.parse(json))
        let expected = Self.stepByStep(request)
        let got: Result<[Double], ScheduleError>
        do throws(ScheduleError) { got = .success(try request.evaluate().lrs[0]) } catch { got = .failure(error) }
        switch (got, expected) {
        case (.success(let values), .success(let reference)):
            #expect(values.count == reference.count, "\(json): \(values.count) values, step by step \(reference.count)")
            for (k, (a, b)) in zip(values, reference).enumerated() where a.bitPattern != b.bitPattern {
                Issue.record("\(json): value \(k) is \(a), step by step \(b)")
                break
            }
        case (.failure(let error), .failure(let reference)):
            #expect("\(error)" == "\(reference)", "\(json): error \(error), step by step \(reference)")
        default:
            Issue.record("\(json): evaluate() gave \(got), step by step \(expected)")
        }
    }
}
