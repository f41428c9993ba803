import JSON
import Service
import Testing

/// The names people type get a "did you mean" with the exact replacement.
@Suite("hints for the names people type")
struct HintTests {
    @Test(
        "each misnamed member points at itself and names the replacement",
        arguments: [
            (
                #"{"scheduler":"StepLR","learning_rate":0.1,"params":{"step_size":3},"epochs":5}"#, "/learning_rate",
                #"did you mean "lr""#
            ),
            (
                #"{"scheduler":"StepLR","lr":0.1,"step_size":3,"epochs":5}"#, "/step_size",
                #"move it into params: {"params": {"step_size": 3}}"#
            ),
            (
                #"{"framework":"timm","scheduler":"cosine","lr":0.1,"params":{"t_initial":10},"epochs":5}"#,
                "/scheduler", #"did you mean "CosineLRScheduler""#
            ),
            (
                #"{"framework":"timm","scheduler":"CosineLRScheduler","lr":0.1,"params":{"t_initial":10,"warmup_lr":0.01},"epochs":5}"#,
                "/params/warmup_lr", #"did you mean "warmup_lr_init""#
            ),
            (
                #"{"framework":"huggingface","scheduler":"cosine","lr":0.1,"params":{},"epochs":5}"#, "/framework",
                #"did you mean "transformers""#
            ),
            (
                #"{"framework":"hf","scheduler":"cosine","lr":0.1,"params":{},"epochs":5}"#, "/framework",
                #"did you mean "transformers""#
            ),
            (
                #"{"framework":"pytorch","scheduler":"StepLR","lr":0.1,"params":{"step_size":1},"epochs":5}"#,
                "/framework", #"did you mean "torch""#
            ),
            (
                #"{"framework":"jax","scheduler":"constant_schedule","params":{"value":0.1},"epochs":5}"#, "/framework",
                #"did you mean "optax""#
            ),
            (
                #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3},"epochs":5,"last_epoch":3}"#, "/last_epoch",
                #"did you mean "start""#
            ),
            (
                #"{"framework":"transformers","scheduler":"cosine","lr":0.1,"params":{"warmup_steps":3,"num_training_steps":10},"epochs":5}"#,
                "/params/warmup_steps", #"did you mean "num_warmup_steps""#
            ),
        ]
    )
    func hint(_ body: String, _ pointer: String, _ detail: String) {
        let (status, json, response) = call("POST", "/v1/schedules", body)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(status == 422, "expected 422, got \(status): \(text)")
        let match = json?["errors"]?.arrayValue?.first { $0["pointer"]?.stringValue == pointer }
        #expect(
            match?["detail"]?.stringValue?.contains(detail) == true,
            "the error at \(pointer) should say \(detail): \(text)"
        )
    }
}
