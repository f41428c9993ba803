import HTTPServer
import JSON
import Service
import Testing

@Suite("POST /v1/training-runs")
struct TrainingRouteTests {
    static let seedLoop =
        #"{"model":{"type":"linear","in_features":10,"out_features":1},"data":{"type":"random","seed":7},"loss":"mse","optimizer":{"type":"SGD","lr":0.1},"scheduler":{"scheduler":"StepLR","params":{"step_size":10,"gamma":0.9}},"epochs":30,"batch_size":32,"seed":0}"#

    @Test func seedLoopWithRandomBatches() throws {
        let (status, json, response) = call("POST", "/v1/training-runs", Self.seedLoop)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let lrs = try #require(json?["lrs"]?.arrayValue).compactMap(\.doubleValue)
        let losses = try #require(json?["train_loss"]?.arrayValue).compactMap(\.doubleValue)
        #expect(
            lrs.count == 30 && losses.count == 30,
            "expected 30 epochs, got \(lrs.count) lrs and \(losses.count) losses"
        )
        #expect(
            lrs[9] == 0.1 && lrs[10] == 0.09000000000000001 && lrs[29] == 0.08100000000000002,
            "StepLR in training: epochs 9, 10, 29 = \(lrs[9]), \(lrs[10]), \(lrs[29])"
        )
        #expect(
            json?["steps"] == .integer(30),
            "one random batch per epoch: steps \(String(describing: json?["steps"]))"
        )
        #expect(json?["val_loss"] == nil, "random data has no validation set")
        #expect(json?["final"]?["train_loss"]?.doubleValue == losses.last)
        // Nothing to learn from fresh noise: the loss stays near the targets' variance.
        #expect(losses.suffix(10).allSatisfy { $0 > 0.3 && $0 < 3 }, "loss on pure noise: \(losses.suffix(10))")
        let again = call("POST", "/v1/training-runs", Self.seedLoop)
        #expect(again.response.body == response.body, "the same request must give the same answer")
    }

    @Test(
        "a transformers or timm schedule drives a training run as it steps in /v1/schedules",
        arguments: [
            (
                #"{"framework":"transformers","scheduler":"cosine","params":{"num_warmup_steps":2,"num_training_steps":8}}"#,
                "step"
            ),
            (
                #"{"framework":"timm","scheduler":"CosineLRScheduler","params":{"t_initial":4,"warmup_t":1,"warmup_lr_init":0.01}}"#,
                "epoch"
            ),
        ]
    )
    func otherFamiliesDriveTraining(_ scheduler: String, _ interval: String) throws {
        let run =
            #"{"model":{"type":"linear","in_features":10,"out_features":1},"data":{"type":"random","seed":7},"loss":"mse","optimizer":{"type":"SGD","lr":0.1},"scheduler":\#(scheduler),"scheduler_interval":"\#(interval)","epochs":6,"seed":0}"#
        let (status, json, response) = call("POST", "/v1/training-runs", run)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let lrs = try #require(json?["lrs"]?.arrayValue).compactMap(\.doubleValue)
        let spec = try JSONParser.parse(Array(scheduler.utf8))
        let schedule =
            #"{"framework":\#(spec["framework"]!),"scheduler":\#(spec["scheduler"]!),"lr":0.1,"params":\#(String(decoding: JSONWriter.encode(spec["params"]!), as: UTF8.self)),"epochs":6}"#
        let expected = call("POST", "/v1/schedules", schedule).json?["lrs"]?.arrayValue?.compactMap(\.doubleValue)
        #expect(lrs == expected, "training lrs \(lrs), /v1/schedules \(String(describing: expected))")
    }

    @Test func plateauCutsTheLearningRateOnASyntheticTask() throws {
        let body =
            #"{"model":{"type":"linear","in_features":10,"out_features":1},"data":{"type":"synthetic","task":"regression","train_size":512,"val_size":128,"noise":0.1,"seed":7},"loss":"mse","optimizer":{"type":"SGD","lr":0.1,"momentum":0.9},"scheduler":{"scheduler":"ReduceLROnPlateau","params":{"patience":2,"factor":0.5}},"epochs":30,"batch_size":32,"shuffle":true,"seed":0}"#
        let (status, json, response) = call("POST", "/v1/training-runs", body)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let lrs = try #require(json?["lrs"]?.arrayValue).compactMap(\.doubleValue)
        let val = try #require(json?["val_loss"]?.arrayValue).compactMap(\.doubleValue)
        #expect(lrs.first == 0.1 && (lrs.last ?? 1) < 0.1, "ReduceLROnPlateau should cut the LR: \(lrs)")
        #expect(val.last! < val.first!, "validation loss should fall: first \(val.first!), last \(val.last!)")
        #expect(json?["final"]?["val_loss"]?.doubleValue == val.last)
    }

    @Test func stepIntervalReportsEveryStep() throws {
        let body =
            #"{"model":{"type":"mlp","in_features":4,"hidden":[8],"activation":"tanh","out_features":1},"data":{"type":"synthetic","train_size":64,"val_size":0,"seed":1},"loss":"huber","optimizer":{"type":"AdamW"},"scheduler":{"scheduler":"OneCycleLR","params":{"max_lr":0.01,"total_steps":40}},"scheduler_interval":"step","epochs":5,"batch_size":8}"#
        let (status, json, response) = call("POST", "/v1/training-runs", body)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let stepLRs = try #require(json?["step_lrs"]?.arrayValue)
        #expect(stepLRs.count == 40, "8 batches × 5 epochs: expected 40 step LRs, got \(stepLRs.count)")
        #expect(json?["lrs"]?[1] == stepLRs[8], "lrs[1] must be the LR of epoch 1's first step")
    }

    @Test func divergenceIsReportedNotAnError() throws {
        let body =
            #"{"model":{"type":"linear","in_features":3,"out_features":1},"data":{"type":"synthetic","train_size":32,"val_size":0,"seed":3},"loss":"mse","optimizer":{"type":"SGD","lr":1e6},"epochs":50}"#
        let (status, json, response) = call("POST", "/v1/training-runs", body)
        #expect(status == 200, "expected 200, got \(status): \(String(decoding: response.body, as: UTF8.self))")
        let diverged = try #require(
            json?["diverged_at"]?.intValue,
            "expected diverged_at in \(String(decoding: response.body, as: UTF8.self))"
        )
        #expect(json?["train_loss"]?.arrayValue?.count == diverged, "arrays hold the epochs before divergence")
    }

    @Test func badInputPointsAtTheField() {
        let cases: [(String, String)] = [
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1},"data":{"type":"inline","x":[[1,2],[3]],"y":[[1],[2]]},"loss":"mse","optimizer":{"type":"SGD","lr":0.1},"epochs":3}"#,
                "/data/x/1"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1},"data":{"type":"inline","x":[[1,2],[3,4]],"y":[[1]]},"loss":"mse","optimizer":{"type":"SGD","lr":0.1},"epochs":3}"#,
                "/data/y"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":3},"data":{"type":"inline","x":[[1,2]],"y":[5]},"loss":"cross_entropy","optimizer":{"type":"SGD","lr":0.1},"epochs":3}"#,
                "/data/y/0"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1},"data":{"type":"synthetic"},"loss":"mse","optimizer":{"type":"SGD","lr":0.1,"nesterov":true},"epochs":3}"#,
                "/optimizer/nesterov"
            ),
            (
                #"{"model":{"type":"mlp","in_features":2,"hidden":[4],"activation":"swish","out_features":1},"data":{"type":"synthetic"},"loss":"mse","optimizer":{"type":"SGD"},"epochs":3}"#,
                "/model/activation"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1,"init":[{"weight":[[1,2,3]],"bias":[0]}]},"data":{"type":"synthetic"},"loss":"mse","optimizer":{"type":"SGD"},"epochs":3}"#,
                "/model/init/0/weight/0"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1},"data":{"type":"synthetic"},"loss":"mse","optimizer":{"type":"SGD"},"scheduler":{"scheduler":"StepLR","params":{"stepsize":3}},"epochs":3}"#,
                "/scheduler/params/stepsize"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1},"data":{"type":"random"},"loss":"mse","optimizer":{"type":"SGD"},"monitor":"val_loss","epochs":3}"#,
                "/monitor"
            ),
            (
                #"{"model":{"type":"mlp","in_features":64,"hidden":[1024,1024],"out_features":64},"data":{"type":"synthetic","train_size":100000},"loss":"mse","optimizer":{"type":"SGD"},"epochs":100}"#,
                "/model"
            ),
            (
                #"{"model":{"type":"linear","in_features":64,"out_features":1},"data":{"type":"synthetic","train_size":50000},"loss":"mse","optimizer":{"type":"SGD"},"epochs":100000,"batch_size":1}"#,
                "/epochs"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1},"data":{"type":"synthetic"},"loss":"mse","optimizer":{"type":"SGD"},"epochs":3,"epoch":4}"#,
                "/epoch"
            ),
            (
                #"{"model":{"type":"linear","in_features":2,"out_features":1},"data":{"type":"synthetic"},"loss":"cross_entropy","optimizer":{"type":"SGD"},"epochs":3}"#,
                "/model/out_features"
            ),
            (
                #"{"model":{"type":"linear","in_features":1,"out_features":1},"data":{"type":"inline","x":[[1]],"y":[[1]],"val_x":[[2]]},"loss":"mse","optimizer":{"type":"SGD"},"epochs":3}"#,
                "/data/val_y"
            ),
        ]
        for (body, pointer) in cases {
            let (status, json, response) = call("POST", "/v1/training-runs", body)
            #expect(
                status == 422,
                "\(pointer): expected 422, got \(status): \(String(decoding: response.body, as: UTF8.self))"
            )
            #expect(pointers(json).contains(pointer), "expected a problem at \(pointer), got \(pointers(json))")
        }
    }
}
