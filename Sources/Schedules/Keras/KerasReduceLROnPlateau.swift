import Float32Math

extension Keras {
    /// `keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=10,
    /// verbose=0, mode="auto", min_delta=1e-4, cooldown=0, min_lr=0.0)`, driven by `metrics`
    /// (the monitored value after each epoch). Value k is the optimizer's float32 learning rate
    /// during epoch k.
    ///
    /// "Improved?" is `keras.ops.less` (or `greater`) on float32 tensors:
    /// `f32(current - min_delta) < f32(best)` with `min_delta` negated for `less`, so changes
    /// below float32 resolution count as flat. Cooldown is counted down before the test and
    /// checked again after it. A reduction sets `max(old * factor, min_lr)`, computed in Python
    /// floats from the float32 rate and stored back as float32, and only while
    /// `old > f32(min_lr)`. `mode: "auto"` means `min` for `loss`/`val_loss`; for another metric
    /// Keras looks at the model's metrics, which a request does not have, so give `mode`.
    /// Source: `keras/src/callbacks/reduce_lr_on_plateau.py`, `monitor_callback.py`.
    struct ReduceLROnPlateau: SchedulerDefinition {
        static let name = "ReduceLROnPlateau"
        static let summary = "multiply the learning rate by factor when the monitored metric stops improving (metrics)"
        static let takesMetrics = true
        static let monitor = Parameter(
            "monitor",
            type: "string",
            default: .string("val_loss"),
            constraint: "a metric name",
            meaning: "the metric the values in metrics are (decides mode auto)"
        )
        static let factor = Parameter.float("factor", default: 0.1, "a number below 1", "the multiplier of a reduction")
        static let patience = Parameter.int(
            "patience",
            default: 10,
            "an integer",
            "epochs without improvement before reducing"
        )
        static let verbose = Parameter.int("verbose", default: 0, "an integer (ignored)", "Keras's message level")
        static let mode = Parameter(
            "mode",
            type: "string",
            default: .string("auto"),
            constraint: "\"auto\", \"min\" or \"max\" (another value: Keras warns and uses auto)",
            meaning: "whether lower or higher is better"
        )
        static let minDelta = Parameter.float(
            "min_delta",
            default: 1e-4,
            "a number (its magnitude is used)",
            "the least change that counts"
        )
        static let cooldown = Parameter.int(
            "cooldown",
            default: 0,
            "an integer",
            "epochs after a reduction before counting again"
        )
        static let minLR = Parameter.float("min_lr", default: 0.0, "a number", "the learning rate does not go below it")
        static let parameters = [monitor, factor, patience, verbose, mode, minDelta, cooldown, minLR]

        let lowerIsBetter: Bool
        let factorValue: Double
        let patienceValue: Int
        let delta: Double
        let cooldownValue: Int
        let minimum: Double
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            var monitorName = "val_loss"
            if let raw = params.raw(Self.monitor.name) {
                if case .string(let name) = raw {
                    monitorName = name
                } else {
                    params.record(Self.monitor.name, "must be a metric name, got \(raw.shortDescription)")
                }
            }
            factorValue = params.double(Self.factor) { $0.isFinite }
            patienceValue = params.int(Self.patience, in: Int(Int32.min)...Int(Int32.max))
            _ = params.int(Self.verbose, in: Int.min...Int.max)
            var warnings: [String] = []
            var modeName = "auto"
            if let raw = params.raw(Self.mode.name) {
                if case .string(let name) = raw, ["auto", "min", "max"].contains(name) {
                    modeName = name
                } else {
                    warnings.append("mode \(raw.shortDescription) is unknown: Keras warns and falls back to auto mode")
                }
            }
            let minDelta = params.double(Self.minDelta) { $0.isFinite }
            cooldownValue = params.int(Self.cooldown, in: Int(Int32.min)...Int(Int32.max))
            minimum = params.double(Self.minLR) { $0.isFinite }
            guard !params.hasIssues else { return nil }
            if factorValue >= 1 {
                params.record(
                    Self.factor.name,
                    "must be below 1: Keras raises ValueError: ReduceLROnPlateau does not support a factor >= 1.0. Received factor=\(factorValue)"
                )
                return nil
            }
            switch modeName {
            case "min": lowerIsBetter = true
            case "max": lowerIsBetter = false
            default:
                let metric = monitorName.hasPrefix("val_") ? String(monitorName.dropFirst(4)) : monitorName
                guard metric == "loss" else {
                    params.record(
                        Self.mode.name,
                        "must be \"min\" or \"max\" for monitor \(monitorName): Keras raises ValueError: ReduceLROnPlateau callback received monitor=\(monitorName), but Keras isn't able to automatically determine whether that metric should be maximized or minimized (it reads the model's metrics, which a request does not have). Pass `mode='max'` in order to monitor based on the highest metric value, or pass `mode='min'` in order to use the lowest value."
                    )
                    return nil
                }
                lowerIsBetter = true
            }
            delta = lowerIsBetter ? -abs(minDelta) : abs(minDelta)
            self.warnings = warnings
        }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            KerasPlateau(self, lrs: lrs.map { Float($0) })
        }
    }
}

/// The callback's state: the optimizer's float32 learning rates, the best value, the counters.
final class KerasPlateau: Schedule {
    let definition: Keras.ReduceLROnPlateau
    @exclusivity(unchecked) var lrs: [Float]
    @exclusivity(unchecked) var best: Double?
    @exclusivity(unchecked) var wait = 0
    @exclusivity(unchecked) var cooldownCounter = 0

    init(_ definition: Keras.ReduceLROnPlateau, lrs: [Float]) {
        self.definition = definition
        self.lrs = lrs
    }

    var groupCount: Int { lrs.count }

    func lr(group: Int) -> Double { Double(lrs[group]) }

    func step(metric: Double?) throws(ScheduleFault) {
        let d = definition
        let current = metric ?? 0
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            wait = 0
        }
        if isImprovement(current) {
            best = current
            wait = 0
        } else if cooldownCounter <= 0 {
            wait += 1
            if wait >= d.patienceValue {
                var reduced = false
                for g in lrs.indices {
                    let old = Double(lrs[g])
                    if old > Double(Float(d.minimum)) {
                        let new = old * d.factorValue
                        lrs[g] = Float(d.minimum > new ? d.minimum : new)
                        reduced = true
                    }
                }
                if reduced {
                    cooldownCounter = d.cooldownValue
                    wait = 0
                }
            }
        }
    }

    /// `monitor_op(current - min_delta, best)` on float32 tensors.
    private func isImprovement(_ current: Double) -> Bool {
        guard let best else { return true }
        let value = Float(current - definition.delta)
        return definition.lowerIsBetter ? value < Float(best) : value > Float(best)
    }
}
