import JSON

/// Limits that keep one request cheap: no input may make the service hang or bloat.
public struct ScheduleLimits: Sendable {
    /// The most values one request may ask for (`epochs`), and the largest `start`.
    public var maxEpochs: Int = 1_000_000
    /// The most work one request may cost: steps replayed × `SchedulerSpec.costPerEpoch`.
    public var maxWork: Int = 50_000_000

    /// The default limits.
    public init(maxEpochs: Int = 1_000_000, maxWork: Int = 50_000_000) {
        self.maxEpochs = maxEpochs
        self.maxWork = maxWork
    }
}

/// A request for a learning-rate schedule: `POST /v1/schedules`.
///
/// ```json
/// {"scheduler": "StepLR", "lr": 0.1, "params": {"step_size": 10, "gamma": 0.9}, "epochs": 30, "start": 0}
/// ```
/// Value *k* of the answer is the LR in effect for epoch `start + k`: what torch's
/// `get_last_lr()[0]` returns after `start + k` calls of `step()` since construction (for
/// ReduceLROnPlateau: the optimizer's LR after that many `step(metrics[i])` calls).
public struct ScheduleRequest: Sendable {
    /// The scheduler and its constructor arguments.
    public let scheduler: SchedulerSpec
    /// The optimizer's learning rate (nil only for schedulers that set their own).
    public let lr: Double?
    /// How many values to return.
    public let epochs: Int
    /// The epoch of the first value.
    public let start: Int
    /// ReduceLROnPlateau's metric for each `step()` call.
    public let metrics: [Double]?

    /// The optimizer learning rate used when a CyclicLR/OneCycleLR request omits `lr`
    /// (`torch.optim.SGD`'s default; those schedulers overwrite it at construction).
    public static let defaultOptimizerLR = 0.001

    /// Decodes and validates a request body, reporting every problem with its JSON pointer.
    public static func decode(_ json: JSONValue, limits: ScheduleLimits = ScheduleLimits())
        throws(ScheduleError) -> ScheduleRequest
    {
        var issues: [FieldIssue] = []
        var r = ObjectReader(value: json, at: .root, issues: &issues)
        if !issues.isEmpty { throw .invalidSpec(issues) }
        var count = 0
        let spec = SchedulerSpec.decode(name: r.raw("scheduler"), namePointer: JSONPointer.root.appending("scheduler"),
                                        params: r.raw("params"), pointer: JSONPointer.root.appending("params"),
                                        count: &count, issues: &issues)
        let named = r.object["scheduler"]?.stringValue.flatMap(SchedulerSpec.Name.init(rawValue:))
        let requiresLR = !(named?.setsOwnLR ?? false)
        var lr: Double?
        if r.contains("lr") || requiresLR {
            lr = r.double("lr", requirement: "must be a positive number (the optimizer's learning rate)") { $0 > 0 }
        } else {
            _ = r.raw("lr")
        }
        let epochs = r.int("epochs", in: 1...limits.maxEpochs, requirement: "must be an integer from 1 to \(limits.maxEpochs)")
        let start = r.int("start", default: 0, in: 0...limits.maxEpochs, requirement: "must be an integer from 0 to \(limits.maxEpochs)")
        var metrics: [Double]?
        if let value = r.raw("metrics") {
            if spec != nil && spec?.name != .reduceLROnPlateau {
                r.record("metrics", "only ReduceLROnPlateau takes metrics")
            } else if case .array(let items) = value {
                var values: [Double] = []
                values.reserveCapacity(items.count)
                for (i, item) in items.enumerated() {
                    if let d = item.doubleValue, d.isFinite {
                        values.append(d)
                    } else {
                        r.record(FieldIssue(JSONPointer.root.appending("metrics").appending(i), "must be a number, got \(item.shortDescription)"))
                    }
                }
                metrics = values
            } else {
                r.record("metrics", "must be a list of numbers (one per step), got \(value.shortDescription)")
            }
        }
        r.rejectUnknownKeys()
        issues.append(contentsOf: r.issues)
        guard let spec, issues.isEmpty else { throw .invalidSpec(issues) }

        let steps = start + epochs - 1
        if spec.name == .reduceLROnPlateau {
            let have = metrics?.count ?? 0
            if have < steps {
                throw .invalidSpec([FieldIssue(JSONPointer.root.appending("metrics"),
                    "needs at least start + epochs - 1 = \(steps) values (one per step() call), got \(have)")])
            }
        }
        let (work, overflow) = (steps + 1).multipliedReportingOverflow(by: spec.costPerEpoch)
        if overflow || work > limits.maxWork {
            throw .invalidSpec([FieldIssue(JSONPointer.root.appending("epochs"),
                "start + epochs = \(steps + 1) steps of this schedule (cost \(spec.costPerEpoch) per step) exceeds the work limit of \(limits.maxWork)")])
        }
        return ScheduleRequest(scheduler: spec, lr: lr, epochs: epochs, start: start, metrics: metrics)
    }

    /// Replays the schedule from construction and returns the `epochs` values from `start` on.
    /// Fails, naming the epoch, where torch would raise or where the LR stops being finite.
    public func evaluate() throws(ScheduleError) -> [Double] {
        var values: [Double] = []
        values.reserveCapacity(epochs)
        let last = start + epochs - 1
        let schedule = try LiveSchedule(scheduler, lr: lr ?? Self.defaultOptimizerLR)
        if start == 0 { values.append(schedule.lr) }
        if let metrics, schedule.needsMetric {
            for step in 0..<last {
                try schedule.step(metric: metrics[step])
                if step + 1 >= start { values.append(schedule.lr) }
            }
        } else {
            for step in 0..<last {
                try schedule.step()
                if step + 1 >= start { values.append(schedule.lr) }
            }
        }
        return values
    }
}
