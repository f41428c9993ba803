/// timm's `timm.scheduler` classes.
enum Timm {
    static let family = Family(
        name: "timm",
        title: "timm (pytorch-image-models) timm.scheduler",
        version: "1.0.31",
        stepping: "value 0 is the LR after construction; value k >= 1 the LR after step(k) (step_update(k) when t_in_epochs is false; step(k, metrics[k-1]) for PlateauLRScheduler)",
        schedulers: [])
}
