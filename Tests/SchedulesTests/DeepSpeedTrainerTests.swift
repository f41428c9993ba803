import JSON
import Schedules
import Testing

/// The deepspeed trainer hands the config's optimizer type to the scheduler: DeepSpeed's
/// `OneCycle` cycles `betas[0]` of an Adam and leaves SGD's momentum alone.
@Suite("deepspeed trainer: the optimizer type reaches OneCycle")
struct DeepSpeedTrainerTests {
    @Test(
        "OneCycle answers momentums for Adam and AdamW, none for SGD",
        arguments: [("Adam", true), ("AdamW", true), ("SGD", false)]
    )
    func oneCycleMomentum(_ optimizer: String, _ cycles: Bool) throws {
        let body =
            #"{"trainer":"deepspeed","config":{"train_batch_size":8,"optimizer":{"type":""# + optimizer
            + #"","params":{"lr":0.1}},"scheduler":{"type":"OneCycle","params":{"cycle_min_lr":0.01,"cycle_max_lr":0.1,"cycle_first_step_size":2}}},"updates":5}"#
        let request = try ScheduleRequest.decode(try JSONParser.parse(Array(body.utf8), maxDepth: 64))
        let values = try request.evaluate()
        #expect(
            (values.momentums != nil) == cycles,
            "\(optimizer): momentums \(values.momentums.map { "\($0[0])" } ?? "none"), DeepSpeed cycles betas[0]: \(cycles)"
        )
        if cycles {
            // The constructor sets betas[0] to cycle_min_mom; the first step moves it towards cycle_max_mom.
            #expect(
                values.momentums?[0].first == 0.8,
                "update 1: betas[0] \(values.momentums?[0].first ?? .nan), DeepSpeed 0.8"
            )
        }
        #expect(values.lrs[0] == [0.01, 0.05500000000000001, 0.1, 0.05500000000000001, 0.01], "lrs \(values.lrs[0])")
    }
}
