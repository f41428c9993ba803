import ArgumentParser
import Service

/// `lrsched eval`: evaluate one spec without a server and print exactly what the server answers.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate one schedule spec and print the JSON the server would return.",
        discussion:
            "Exits 0 when the answer is 200, 1 when it is a problem+json error (printed to stdout all the same)."
    )

    @Argument(help: "A JSON spec file (or a batch, {\"requests\": [...]}), or - for standard input.")
    var file: String = "-"

    @Option(help: "Output format: json, csv or svg (as ?format= on the server).")
    var format: String = "json"

    @Option(help: "SVG y axis: linear or log.")
    var scale: String = "linear"

    @Option(help: "SVG width in pixels (320-4000).")
    var width: Int = 800

    @Option(help: "SVG height in pixels (200-3000).")
    var height: Int = 450

    @OptionGroup var schedules: ScheduleOptions

    func run() throws {
        let presentation: Presentation
        do throws(Problem) {
            presentation = try Presentation.negotiate(
                query: "format=\(format)&scale=\(scale)&width=\(width)&height=\(height)",
                accept: nil
            )
        } catch {
            throw ValidationError(error.detail)
        }
        try answer(file, apply: schedules.apply) { $0.evaluateSchedule(body: $1, presentation: presentation) }
    }
}

/// `lrsched train`: run one training job without a server and print exactly what the server answers.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one simulated training job and print the JSON the server would return.",
        discussion:
            "Exits 0 when the answer is 200, 1 when it is a problem+json error (printed to stdout all the same)."
    )

    @Argument(help: "A JSON training-run request file, or - for standard input.")
    var file: String = "-"

    @OptionGroup var training: TrainingOptions

    func run() throws {
        try answer(file, apply: training.apply) { $0.runTraining(body: $1) }
    }
}

/// `lrsched schedulers`: print the catalogue that `GET /v1/schedulers` serves.
struct Schedulers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every family, scheduler and parameter lrsched knows, as GET /v1/schedulers answers (JSON)."
    )

    func run() throws {
        SystemIO.write(JSONRenderer.body(.catalogue), to: 1)
    }
}

/// Reads a request from `file`, prints the service's answer to it, and fails unless it is a 200.
func answer(
    _ file: String,
    apply: (inout ServiceConfiguration) throws -> Void,
    _ route: (ScheduleService, [UInt8]) -> (status: Int, body: [UInt8])
) throws {
    let data = try readInput(file)
    var configuration = ServiceConfiguration()
    configuration.maxBodyBytes = data.count
    try apply(&configuration)
    let service = ScheduleService(configuration: configuration)
    let (status, body) = route(service, data)
    SystemIO.write(body, to: 1)
    if status != 200 { throw ExitCode.failure }
}

/// The contents of `file`, or of standard input for `-`.
func readInput(_ file: String) throws -> [UInt8] {
    if file == "-" { return SystemIO.readAll(0) ?? [] }
    guard let contents = SystemIO.readFile(file) else {
        throw ValidationError("cannot read \(file)")
    }
    return contents
}
