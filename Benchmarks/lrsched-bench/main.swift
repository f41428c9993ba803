// In-process figures for scripts/bench.sh: the cost of one epoch of a schedule, of one
// double written as text, of one HTTP-less request through the service (with warm caches, and
// with the caches cooled between requests as a server's network path cools them), and of a
// training run.
// Measurements only; nothing here passes or fails.
//
//   swift run -c release lrsched-bench [rounds] [sections]
//
// Sections: epochs, doubles, service, cold, training (all of them when none is named),
// schedulers (only when named: every fixture scheduler's cost per epoch; FIXTURE=text keeps the
// fixture files whose path contains the text), and request (only when named: the body in
// REQUEST, warm, as one line `request E P S`: µs to evaluate it and write its rates, µs to parse
// and decode it too, µs through the whole service without HTTP).
//
// Each figure is the best of `rounds` (default 7) timed repetitions.

import Foundation
import HTTPServer
import JSON
import Schedules
import Service
import Training

let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 7
/// Only the sections whose names are given after the rounds (epochs, doubles, service, cold,
/// training).
let only = Set(CommandLine.arguments.dropFirst(2))
func wanted(_ section: String) -> Bool { only.isEmpty || only.contains(section) }

/// The best of `rounds` timings of `body`, in nanoseconds.
func best(_ body: () -> Void) -> Double {
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        fastest = min(fastest, ns)
    }
    return fastest
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never) func consume<T>(_ value: T) { withExtendedLifetime(value) {} }

/// `json` decoded as a schedule request under benchmark limits, or nil when it is not one.
func decodedRequest(_ json: String) -> ScheduleRequest? {
    guard let value = try? JSONParser.parse(json) else { return nil }
    return try? ScheduleRequest.decode(value, limits: ScheduleLimits(maxEpochs: 10_000_000, maxWork: .max))
}

func request(_ json: String) -> ScheduleRequest { decodedRequest(json)! }

func spec(_ framework: String, _ scheduler: String, _ params: String, epochs: Int) -> String {
    // optax schedules take their rates in `params`.
    let lr = framework == "optax" ? "" : #""lr":0.1,"#
    return #"{"framework":"\#(framework)","scheduler":"\#(scheduler)",\#(lr)"params":\#(params),"epochs":\#(epochs)}"#
}

let million = 1_000_000
// No answer cache: every request is evaluated, as a distinct one is.
let application = {
    var configuration = ServiceConfiguration()
    configuration.answerCacheBytes = 0
    return Application(configuration: configuration)
}()
let service = application.service
if wanted("epochs") {
    // Requests are 1,000 epochs or so: values that stay in cache, as in the server.
    print("== Per epoch, in process (1,000 epochs × 1,000 evaluations, best of \(rounds))")
    print("| schedule | evaluate ns/epoch | evaluate + JSON ns/epoch |")
    print("|---|---|---|")
    let schedules: [(String, String, String, String)] = [
        ("StepLR", "torch", "StepLR", #"{"step_size":10,"gamma":0.9}"#),
        ("CosineAnnealingLR", "torch", "CosineAnnealingLR", #"{"T_max":1000}"#),
        (
            "LambdaLR, 20 tokens", "torch", "LambdaLR",
            #"{"lr_lambda":"0.95 ** (epoch // 10) * (1 + epoch % 7) / (2 + epoch % 3)"}"#
        ),
        ("transformers cosine", "transformers", "cosine", #"{"num_warmup_steps":100,"num_training_steps":1000}"#),
        ("optax cosine_decay", "optax", "cosine_decay_schedule", #"{"init_value":0.1,"decay_steps":1000}"#),
    ]
    for (label, framework, scheduler, params) in schedules {
        let r = request(spec(framework, scheduler, params, epochs: 1000))
        let repeats = 1000
        let evaluate = best { for _ in 0..<repeats { consume(try! r.evaluate()) } }
        let values = try! r.evaluate()
        let write = best {
            for _ in 0..<repeats {
                var w = JSONWriter(reservingCapacity: 0)
                w.doubles(values.first)
                consume(w.bytes)
            }
        }
        print(
            String(
                format: "| %@ | %.1f | %.1f |",
                label,
                evaluate / Double(million),
                (evaluate + write) / Double(million)
            )
        )
    }

}

if only.contains("schedulers") {
    // Every fixture file's longest case, run for 1,000 epochs: which schedulers cost the most
    // per epoch (run from the package's root; not in the default sections). FIXTURE=text keeps
    // the files whose path contains the text.
    print("== Per epoch, every scheduler with fixtures (a fixture case at 1,000 epochs, best of \(rounds))")
    print("| fixture file | evaluate ns/epoch |")
    print("|---|---|")
    let root = URL(fileURLWithPath: "Tests/SchedulesTests/Fixtures")
    let filter = ProcessInfo.processInfo.environment["FIXTURE"] ?? ""
    let files = (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects ?? [])
        .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" && (filter.isEmpty || $0.path.contains(filter)) }
        .sorted { $0.path < $1.path }
    var rows: [(String, Double)] = []
    for file in files {
        guard let data = try? Data(contentsOf: file),
            let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = document["cases"] as? [[String: Any]]
        else { continue }
        let specs = cases.compactMap { $0["spec"] as? [String: Any] }.filter { $0["epochs"] != nil }
        guard var spec = specs.max(by: { ($0["epochs"] as? Int ?? 0) < ($1["epochs"] as? Int ?? 0) }) else { continue }
        spec["epochs"] = 1000
        spec["start"] = nil
        guard let body = try? JSONSerialization.data(withJSONObject: spec),
            let r = decodedRequest(String(decoding: body, as: UTF8.self)),
            (try? r.evaluate()) != nil
        else { continue }
        let repeats = 200
        let evaluate = best { for _ in 0..<repeats { consume(try! r.evaluate()) } }
        rows.append((file.path.replacingOccurrences(of: root.path + "/", with: ""), evaluate / Double(repeats * 1000)))
    }
    for (name, ns) in rows.sorted(by: { $0.1 > $1.1 }) { print(String(format: "| %@ | %.1f |", name, ns)) }
}

if only.contains("request"), let body = ProcessInfo.processInfo.environment["REQUEST"] {
    // What a server cannot avoid for this request (the arithmetic and the text of its rates,
    // then parsing and decoding it too) beside what the service spends on it, all warm.
    let http = HTTPRequest(
        method: .post,
        path: "/v1/schedules",
        headerFields: [.contentType: "application/json", HTTPField.Name("X-Request-ID")!: "bench"],
        body: Array(body.utf8)
    )
    if let r = decodedRequest(body) {
        func rates(_ r: ScheduleRequest) {
            var w = JSONWriter(reservingCapacity: 0)
            w.doubles(try! r.evaluate().first)
            consume(w.bytes)
        }
        // About 100 ms per timing, whatever the request's size.
        let once = best { consume(application.handle(http)) }
        let n = max(100, Int(100e6 / max(once, 1)))
        let evaluate = best { for _ in 0..<n { rates(r) } }
        let decode = best { for _ in 0..<n { rates(decodedRequest(body)!) } }
        let whole = best { for _ in 0..<n { consume(application.handle(http)) } }
        let us = [evaluate, decode, whole].map { String(format: "%.2f", $0 / Double(n) / 1000) }
        print("request", us.joined(separator: " "))
    }
}

if wanted("doubles") {
    print()
    print("== Double to shortest text (JSONWriter.doubles, 1,000,000 values, best of \(rounds))")
    // Reproducible inputs that are cheap to make.
    var generator = SplitMix64(seed: 7)
    let uniform = (0..<million).map { _ in Double.random(in: 0..<1, using: &generator) }
    let anyBits = (0..<million).map { _ -> Double in
        while true {
            let d = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            if d.isFinite { return d }
        }
    }
    let cosine = try! request(spec("torch", "CosineAnnealingLR", #"{"T_max":1000}"#, epochs: million)).evaluate().first
    for (label, values) in [
        ("uniform in [0, 1)", uniform), ("random bit patterns", anyBits), ("a cosine schedule", cosine),
    ] {
        var bytes = 0
        let ns = best {
            var w = JSONWriter(reservingCapacity: 0)
            w.doubles(values)
            bytes = w.bytes.count
            consume(w.bytes)
        }
        print(
            String(
                format: "%@: %.1f ns per double (%.1f bytes each)",
                label,
                ns / Double(million),
                Double(bytes) / Double(million)
            )
        )
    }

}

if wanted("service") {
    print()
    print("== One request through the service, no HTTP (best of \(rounds) × 20,000)")
    for (label, body) in [
        ("StepLR, 100 epochs", #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":100}"#),
        (
            "StepLR, 1,000 epochs",
            #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":1000}"#
        ),
        (
            "CosineAnnealingLR, 1,000 epochs",
            #"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":1000},"epochs":1000}"#
        ),
    ] {
        let http = HTTPRequest(
            method: .post,
            path: "/v1/schedules",
            headerFields: [.contentType: "application/json", HTTPField.Name("X-Request-ID")!: "bench"],
            body: Array(body.utf8)
        )
        let n = 20_000
        let ns = best {
            for _ in 0..<n { consume(application.handle(http)) }
        }
        print(String(format: "%@: %.2f µs per request", label, ns / Double(n) / 1000))
    }

}

if wanted("cold") {
    // The same request with `size` bytes of other memory written just before each request (one
    // write per 64-byte line), as the kernel's network path and the other connections write
    // between two requests in a server. Only the requests are timed.
    print()
    print("== One request through the service, caches cooled between requests (best of \(rounds) × 5,000)")
    func post(_ json: String) -> HTTPRequest {
        HTTPRequest(
            method: .post,
            path: "/v1/schedules",
            headerFields: [.contentType: "application/json", HTTPField.Name("X-Request-ID")!: "bench"],
            body: Array(json.utf8)
        )
    }
    let cases: [(label: String, request: HTTPRequest, sizes: [Int])] = [
        (
            "StepLR, 100 epochs",
            post(#"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":100}"#),
            [0, 256 << 10, 1 << 20, 4 << 20, 8 << 20]
        ),
        (
            "CosineAnnealingLR, 1,000 epochs",
            post(#"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":1000},"epochs":1000}"#),
            [0, 8 << 20]
        ),
    ]
    var other = [UInt8](repeating: 1, count: 8 << 20)
    for (label, http, sizes) in cases {
        for size in sizes {
            let n = 5_000
            var fastest = Duration.seconds(1_000)
            for _ in 0..<rounds {
                var spent = Duration.zero
                for i in 0..<n {
                    other.withUnsafeMutableBytes { bytes in
                        for line in stride(from: 0, to: size, by: 64) { bytes[line] &+= UInt8(truncatingIfNeeded: i) }
                    }
                    let start = ContinuousClock.now
                    consume(application.handle(http))
                    spent += ContinuousClock.now - start
                }
                fastest = min(fastest, spent)
            }
            let ns = Double(fastest.components.seconds) * 1e9 + Double(fastest.components.attoseconds) / 1e9
            print(
                String(
                    format: "%@, %d KiB written before each request: %.2f µs per request",
                    label,
                    size >> 10,
                    ns / Double(n) / 1000
                )
            )
        }
    }
}

if wanted("training") {
    print()
    print("== Training, in process: MLP relu, Adam, 512 synthetic samples, batch 32")
    /// The best wall time of `runs` runs of `request`, in milliseconds.
    func trainingMilliseconds(_ request: String, runs: Int) -> Double {
        var fastest = Double.infinity
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let (status, body) = service.runTraining(body: Array(request.utf8))
            precondition(status == 200, String(decoding: body, as: UTF8.self))
            let elapsed = ContinuousClock.now - start
            fastest = min(
                fastest,
                Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
            )
        }
        return fastest
    }
    func mlp(_ inputs: Int, _ hidden: [Int], epochs: Int) -> String {
        #"{"model":{"type":"mlp","in_features":\#(inputs),"hidden":\#(hidden),"activation":"relu","out_features":1},"#
            + #""data":{"type":"synthetic","train_size":512,"val_size":0,"seed":7},"loss":"mse","#
            + #""optimizer":{"type":"Adam"},"epochs":\#(epochs),"batch_size":32}"#
    }
    print(
        String(
            format: "10→64→64→1, 100 epochs: %.1f ms per run (best of 3)",
            trainingMilliseconds(mlp(10, [64, 64], epochs: 100), runs: 3)
        )
    )
    print(
        String(
            format: "256→1024→700→1, 4 epochs: %.1f ms per run (best of 2)",
            trainingMilliseconds(mlp(256, [1024, 700], epochs: 4), runs: 2)
        )
    )
}
