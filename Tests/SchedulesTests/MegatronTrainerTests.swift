import JSON
import Schedules
import Testing

/// The megatron trainer converts Megatron-LM's options as `get_optimizer_param_scheduler`
/// (Megatron-LM `core_v0.16.1`) does, and answers the family's own values.
@Suite("megatron trainer: training options to samples")
struct MegatronTrainerTests {
    func values(_ body: String) throws -> (ScheduleRequest, [Double]) {
        let json = try JSONParser.parse(Array(body.utf8), maxDepth: 64)
        let request = try ScheduleRequest.decode(json)
        return (request, try request.evaluate().lrs[0])
    }

    @Test(
        "iteration- and sample-based options give the scheduler get_optimizer_param_scheduler builds",
        arguments: [
            (
                #"{"trainer":"megatron","args":{"--lr":3e-4,"--min-lr":3e-5,"--lr-decay-style":"cosine","--train-iters":40,"--lr-warmup-fraction":0.07,"--global-batch-size":24,"--lr-decay-iters":30}}"#,
                #"{"framework":"megatron","scheduler":"OptimizerParamScheduler","params":{"init_lr":0.0,"max_lr":3e-4,"min_lr":3e-5,"lr_warmup_steps":50.400000000000006,"lr_decay_steps":720,"lr_decay_style":"cosine","increment":24},"epochs":40}"#
            ),
            (
                #"{"trainer":"megatron","args":{"lr":1e-3,"train_iters":30,"lr_warmup_iters":3,"micro_batch_size":4,"data_parallel_size":2,"lr_decay_style":"WSD","lr_wsd_decay_iters":10,"lr_wsd_decay_style":"minus_sqrt"}}"#,
                #"{"framework":"megatron","scheduler":"OptimizerParamScheduler","params":{"init_lr":0.0,"max_lr":1e-3,"min_lr":0.0,"lr_warmup_steps":24,"lr_decay_steps":240,"lr_decay_style":"WSD","wsd_decay_steps":80,"lr_wsd_decay_style":"minus_sqrt","increment":8},"epochs":30}"#
            ),
            (
                #"{"trainer":"megatron","args":{"lr":2e-4,"min_lr":1e-5,"train_samples":1000,"lr_warmup_samples":96,"lr_decay_samples":900,"global_batch_size":32,"lr_warmup_init":1e-6}}"#,
                #"{"framework":"megatron","scheduler":"OptimizerParamScheduler","params":{"init_lr":1e-6,"max_lr":2e-4,"min_lr":1e-5,"lr_warmup_steps":96,"lr_decay_steps":900,"lr_decay_style":"linear","increment":32},"epochs":31}"#
            ),
        ]
    )
    func conversion(_ trainer: String, _ family: String) throws {
        let (request, ours) = try values(trainer)
        let (_, expected) = try values(family)
        #expect(ours.count == expected.count, "iterations: trainer \(ours.count), family \(expected.count)")
        for (k, (a, e)) in zip(ours, expected).enumerated() where a.bitPattern != e.bitPattern {
            Issue.record("iteration \(k + 1): trainer \(a), OptimizerParamScheduler with the converted arguments \(e)")
            break
        }
        #expect(request.trainer?.trainer == "megatron", "the answer is not a megatron trainer answer")
    }

    @Test(
        "Megatron-LM's own refusals",
        arguments: [
            (#"{"trainer":"megatron","args":{"lr":1e-3,"global_batch_size":8}}"#, "/args/train_iters"),
            (
                #"{"trainer":"megatron","args":{"lr":1e-3,"train_iters":10,"global_batch_size":8,"lr_warmup_fraction":0.1,"lr_warmup_iters":2}}"#,
                "/args/lr_warmup_fraction"
            ),
            (
                #"{"trainer":"megatron","args":{"lr":1e-3,"min_lr":1e-2,"train_iters":10,"global_batch_size":8}}"#,
                "/args/min_lr"
            ),
            (
                #"{"trainer":"megatron","args":{"lr":1e-3,"train_iters":10,"global_batch_size":8,"lr_decay_style":"WSD"}}"#,
                "/args/lr_wsd_decay_iters"
            ),
            (#"{"trainer":"megatron","args":{"lr":1e-3,"train_iters":10}}"#, "/args/global_batch_size"),
        ]
    )
    func refusals(_ body: String, _ pointer: String) throws {
        let json = try JSONParser.parse(Array(body.utf8), maxDepth: 64)
        do throws(ScheduleError) {
            let request = try ScheduleRequest.decode(json)
            Issue.record("\(body): accepted with \(request.epochs) iterations, Megatron-LM refuses it at \(pointer)")
        } catch {
            guard case .invalidSpec(let issues) = error else {
                Issue.record("\(body): expected a 422 at \(pointer), got \(error)")
                return
            }
            #expect(
                issues.contains { $0.pointer.description == pointer },
                "\(body): expected a problem at \(pointer), got \(issues.map(\.pointer.description))"
            )
        }
    }
}
