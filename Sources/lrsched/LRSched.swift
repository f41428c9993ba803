import ArgumentParser
import HTTPServer
import Logging
import Schedules
import Service

#if canImport(Glibc)
import Glibc
#endif

/// `lrsched`: which learning rate will a training run use at each epoch?
@main
struct LRSched: ParsableCommand {
    /// The subcommands' names, for refusing an unknown one instead of reading it as `serve`'s.
    static let commandNames = ["serve", "eval", "train", "schedulers", "help"]

    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first) {
            SystemIO.write(
                Array(
                    "Error: unknown command '\(first)'; the commands are \(commandNames.dropLast().joined(separator: ", ")) (see lrsched --help)\n"
                        .utf8
                ),
                to: 2
            )
            Glibc.exit(ExitCode.validationFailure.rawValue)
        }
        Self.main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "lrsched",
        abstract:
            "Exact per-step learning-rate schedules of torch, transformers, timm, optax and Keras, bit for bit, over HTTP.",
        version: LRSchedVersion.current,
        subcommands: [Serve.self, Eval.self, Train.self, Schedulers.self],
        defaultSubcommand: Serve.self
    )
}

/// `--max-epochs`: shared by `serve` and `eval`.
struct ScheduleOptions: ParsableArguments {
    @Option(help: "Largest `epochs` (and `start`) a request may ask for. [env: LRSCHED_MAX_EPOCHS] (default: 1000000)")
    var maxEpochs: Int?

    /// Applies the options (with their environment fallbacks) to `configuration`.
    func apply(to configuration: inout ServiceConfiguration) throws {
        configuration.limits.maxEpochs = try setting(
            maxEpochs,
            flag: "--max-epochs",
            env: "LRSCHED_MAX_EPOCHS",
            default: 1_000_000,
            in: 1...100_000_000
        )
    }
}

/// `--max-training-work`: shared by `serve` and `train`.
struct TrainingOptions: ParsableArguments {
    @Option(
        help:
            "Work budget of one training run, in units of about 0.5 ns (see the README). [env: LRSCHED_MAX_TRAINING_WORK] (default: 3500000000, about 2 s)"
    )
    var maxTrainingWork: Int?

    /// Applies the options (with their environment fallbacks) to `configuration`.
    func apply(to configuration: inout ServiceConfiguration) throws {
        configuration.trainingLimits.maxWork = try setting(
            maxTrainingWork,
            flag: "--max-training-work",
            env: "LRSCHED_MAX_TRAINING_WORK",
            default: configuration.trainingLimits.maxWork,
            in: 1...Int.max
        )
    }
}

/// A setting from its flag, else its environment variable, else its default, checked against
/// `range` the same way whichever it came from: one style of message, naming both the flag and
/// the variable, and one exit status (ArgumentParser's validation failure, 64).
func setting(
    _ flag: Int?,
    flag name: String,
    env: String,
    default defaultValue: Int,
    in range: ClosedRange<Int>
)
    throws -> Int
{
    let bounds =
        range.upperBound == .max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
    let value: Int
    if let flag {
        value = flag
    } else if let raw = SystemIO.environment(env) {
        guard let parsed = Int(raw.trimmedSpaces) else {
            throw ValidationError(
                "\(name) / \(env) must be an integer \(bounds), got \(raw.isEmpty ? "an empty value" : "\"\(raw)\"")"
            )
        }
        value = parsed
    } else {
        value = defaultValue
    }
    guard range.contains(value) else {
        throw ValidationError("\(name) / \(env) must be an integer \(bounds), got \(value)")
    }
    return value
}

/// The string counterpart of `setting(_:flag:env:default:in:)`; `allowed` (lowercased) when given.
func setting(
    _ flag: String?,
    flag name: String,
    env: String,
    default defaultValue: String,
    allowed: [String]? = nil
)
    throws -> String
{
    let value: String
    if let flag {
        value = flag
    } else if let raw = SystemIO.environment(env) {
        guard !raw.trimmedSpaces.isEmpty else {
            throw ValidationError("\(name) / \(env) must not be empty")
        }
        value = raw
    } else {
        value = defaultValue
    }
    if let allowed, !allowed.contains(value.lowercased()) {
        throw ValidationError("\(name) / \(env) must be one of \(allowed.joined(separator: ", ")), got \"\(value)\"")
    }
    return value
}
