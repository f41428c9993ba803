/// Hugging Face transformers' `get_scheduler` (`transformers.optimization`).
enum TransformersFamily {
    static let family = Family(
        name: "transformers",
        title: "Hugging Face transformers get_scheduler",
        version: "5.24.0",
        stepping: "value k is scheduler.get_last_lr() after start + k calls of step() (step(metrics[i]) for reduce_lr_on_plateau and greedy)",
        schedulers: [])
}
