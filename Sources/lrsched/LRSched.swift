import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Schedules
import Service

/// `lrsched`: which learning rate will a training run use at each epoch?
@main
struct LRSched: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lrsched",
        abstract: "Exact per-step learning-rate schedules of torch, transformers and timm, bit for bit, over HTTP.",
        version: LRSchedVersion.current,
        subcommands: [Serve.self, Eval.self, Train.self, Schedulers.self],
        defaultSubcommand: Serve.self
    )
}

/// Options shared by `serve` and `eval` that shape how requests are evaluated.
struct EvaluationOptions: ParsableArguments {
    @Option(help: "Largest `epochs` (and `start`) a request may ask for. [env: LRSCHED_MAX_EPOCHS] (default: 1000000)")
    var maxEpochs: Int?

    @Option(
        help:
            "Work budget of one training run, in units of about 0.5 ns (see the README). [env: LRSCHED_MAX_TRAINING_WORK] (default: 3500000000, about 2 s)"
    )
    var maxTrainingWork: Int?

    /// The service configuration these options describe, with environment fallbacks.
    func serviceConfiguration(maxBodyBytes: Int) throws -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        let maxEpochs = try resolve(self.maxEpochs, env: "LRSCHED_MAX_EPOCHS", default: 1_000_000)
        guard maxEpochs >= 1 else { throw ValidationError("--max-epochs must be at least 1, got \(maxEpochs)") }
        configuration.limits.maxEpochs = maxEpochs
        let work = try resolve(
            maxTrainingWork,
            env: "LRSCHED_MAX_TRAINING_WORK",
            default: configuration.trainingLimits.maxWork
        )
        guard work >= 1 else { throw ValidationError("--max-training-work must be at least 1, got \(work)") }
        configuration.trainingLimits.maxWork = work
        configuration.maxBodyBytes = maxBodyBytes
        return configuration
    }
}

/// A flag's value, else the environment variable's, else the default; a malformed environment
/// value is an error, never silently replaced.
func resolve(_ flag: Int?, env name: String, default defaultValue: Int) throws -> Int {
    if let flag { return flag }
    guard let raw = ProcessInfo.processInfo.environment[name], !raw.isEmpty else { return defaultValue }
    guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("environment variable \(name) must be an integer, got \"\(raw)\"")
    }
    return value
}

/// The string counterpart of `resolve(_:env:default:)`.
func resolve(_ flag: String?, env name: String, default defaultValue: String) -> String {
    if let flag { return flag }
    if let raw = ProcessInfo.processInfo.environment[name], !raw.isEmpty { return raw }
    return defaultValue
}
