import JSON
import Schedules
import Testing

/// The mmengine trainer leaves momentum schedulers out of a `param_scheduler` list: they never
/// move the learning rate.
@Suite("mmengine trainer: momentum schedulers")
struct MMEngineTrainerTests {
    func decode(_ body: String) throws -> ScheduleRequest {
        try ScheduleRequest.decode(try JSONParser.parse(Array(body.utf8), maxDepth: 64))
    }

    @Test("a momentum scheduler in the list changes no learning rate, and a warning names it")
    func momentumLeftOut() throws {
        let lr = #"{"type":"LinearLR","start_factor":0.1,"by_epoch":false,"end":3}"#
        let momentum = #"{"type":"CosineAnnealingMomentum","T_max":5}"#
        let rest = #"],"train_cfg":{"by_epoch":true,"max_epochs":2},"iters_per_epoch":3}"#
        let with = try decode(#"{"trainer":"mmengine","lr":0.1,"param_scheduler":["# + lr + "," + momentum + rest)
        let without = try decode(#"{"trainer":"mmengine","lr":0.1,"param_scheduler":["# + lr + rest)
        let a = try with.evaluate().lrs[0]
        let b = try without.evaluate().lrs[0]
        #expect(a == b, "with the momentum scheduler \(a), without \(b)")
        #expect(
            with.trainer?.warnings.contains { $0.contains("CosineAnnealingMomentum") } == true,
            "warnings \(with.trainer?.warnings ?? [])"
        )
    }
}
