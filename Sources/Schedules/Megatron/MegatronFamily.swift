/// megatron-core's `OptimizerParamScheduler` (`megatron/core/optimizer_param_scheduler.py`):
/// the LR as a function of the samples consumed, written into the optimizer's groups by
/// `step(increment)`. Megatron-LM's `train_step` calls it after every successful update with
/// the global batch size, so its steps count samples.
enum Megatron {
    /// The family and its scheduler.
    static let family = Family(
        name: "megatron",
        title: "megatron-core megatron.core.optimizer_param_scheduler",
        version: "0.16.1",
        stepping:
            "value k is the LR after construction (step(0)) and start + k calls of step(increment): num_steps = (start + k) * increment samples",
        unit: "step",
        schedulers: [OptimizerParamScheduler.self]
    )
}
