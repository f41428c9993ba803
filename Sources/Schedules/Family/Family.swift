/// A framework family: the schedulers of one library, reproduced in that library's arithmetic.
/// Immutable and shared (a class, so that every spec refers to it without copying it).
public final class Family: Sendable {
    /// The `framework` value of a request (`torch`, `transformers`, `timm`).
    public let name: String
    /// The library and module, for people (`PyTorch torch.optim.lr_scheduler`).
    public let title: String
    /// The library version whose values the family reproduces (and its fixtures come from).
    public let version: String
    /// What "value k" means for this family, in one line.
    public let stepping: String
    /// The family's schedulers, in catalogue order.
    public let schedulers: [any SchedulerDefinition.Type]
    /// The schedulers by name.
    private let byName: [String: any SchedulerDefinition.Type]

    /// A family of `schedulers` (names must be unique).
    init(
        name: String,
        title: String,
        version: String,
        stepping: String,
        schedulers: [any SchedulerDefinition.Type]
    ) {
        self.name = name
        self.title = title
        self.version = version
        self.stepping = stepping
        self.schedulers = schedulers
        self.byName = Dictionary(schedulers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The scheduler named `name`, if the family has it.
    public func scheduler(named name: String) -> (any SchedulerDefinition.Type)? {
        byName[name]
    }

    /// Every scheduler name of the family.
    public var schedulerNames: [String] { schedulers.map { $0.name } }
}

/// The families lrsched knows: request decoding, the catalogue and the documentation checks all
/// read this one list. Adding a family adds its folder and one entry here.
public enum Registry {
    /// Every family, the default (torch) first.
    public static let families: [Family] = [TorchFamily.family, Transformers.family, Timm.family, Optax.family]

    /// The family used when a request names none.
    public static var defaultFamily: Family { families[0] }

    /// The family named `name`.
    public static func family(named name: String) -> Family? {
        families.first { $0.name == name }
    }
}
