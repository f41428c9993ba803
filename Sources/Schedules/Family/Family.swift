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
    /// What the family counts: `step` (optimizer steps: transformers, optax, Keras) or `epoch`
    /// (torch's and timm's convention); CSV headers and chart axes say it.
    public let unit: String
    /// The family's schedulers, in catalogue order.
    public let schedulers: [any SchedulerDefinition.Type]
    /// Request members beside `scheduler` and `params` that choose how the family evaluates
    /// (optax's `mode`, Keras's `backend`).
    public let options: [FamilyOption]
    /// The schedulers by name.
    private let byName: [String: any SchedulerDefinition.Type]

    /// A family of `schedulers` (names must be unique).
    init(
        name: String,
        title: String,
        version: String,
        stepping: String,
        unit: String = "epoch",
        schedulers: [any SchedulerDefinition.Type],
        options: [FamilyOption] = []
    ) {
        self.name = name
        self.title = title
        self.version = version
        self.stepping = stepping
        self.unit = unit
        self.schedulers = schedulers
        self.options = options
        self.byName = Dictionary(schedulers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The scheduler named `name`, if the family has it.
    public func scheduler(named name: String) -> (any SchedulerDefinition.Type)? {
        byName[name]
    }

    /// Every scheduler name of the family.
    public var schedulerNames: [String] { schedulers.map { $0.name } }
}

/// A request member of one family that picks how its schedules are evaluated: a string choice
/// with a default, read by the definitions through `ParamsReader.option(_:)`.
public struct FamilyOption: Sendable {
    /// The member's name (`mode`, `backend`).
    public let name: String
    /// The values it may take.
    public let choices: [String]
    /// The value when the request leaves it out.
    public let defaultValue: String
    /// One line on what it chooses.
    public let meaning: String

    /// An option `name` with `choices`, `defaultValue` first among them by convention.
    public init(_ name: String, choices: [String], default defaultValue: String, _ meaning: String) {
        self.name = name
        self.choices = choices
        self.defaultValue = defaultValue
        self.meaning = meaning
    }
}

/// The families lrsched knows: request decoding, the catalogue and the documentation checks all
/// read this one list. Adding a family adds its folder and one entry here.
public enum Registry {
    /// Every family, the default (torch) first.
    public static let families: [Family] = [
        TorchFamily.family, Transformers.family, Timm.family, Optax.family, Keras.family, DeepSpeed.family,
        MMEngine.family, Megatron.family,
    ]

    /// The family used when a request names none.
    public static var defaultFamily: Family { families[0] }

    /// The family named `name`.
    public static func family(named name: String) -> Family? {
        families.first { $0.name == name }
    }
}
