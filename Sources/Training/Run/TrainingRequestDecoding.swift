import JSON
import Schedules

extension TrainingRequest {
    /// Decodes and validates a `POST /v1/training-runs` body, reporting every problem with its
    /// JSON pointer, and refusing a job whose work exceeds `limits` before anything runs.
    public static func decode(
        _ json: JSONValue,
        limits: TrainingLimits = TrainingLimits()
    )
        throws(ScheduleError) -> TrainingRequest
    {
        var issues: [FieldIssue] = []
        var r = ObjectReader(value: json, at: .root, issues: &issues)
        if !issues.isEmpty { throw .invalidSpec(issues) }

        let model = decodeModel(r.raw("model"), limits: limits, issues: &issues)
        let loss = decodeLoss(r.raw("loss"), issues: &issues)
        let data = decodeData(r.raw("data"), model: model, loss: loss, limits: limits, issues: &issues)
        if loss == .crossEntropy, let model, model.sizes.last! < 2 {
            issues.append(
                FieldIssue(
                    JSONPointer.root.appending("model").appending("out_features"),
                    "cross_entropy needs at least 2 classes (one output per class), got \(model.sizes.last!)"
                )
            )
        }
        let optimizer = decodeOptimizer(r.raw("optimizer"), issues: &issues)
        var scheduler: SchedulerSpec?
        if let value = r.raw("scheduler") {
            do throws(ScheduleError) {
                scheduler = try SchedulerSpec.decode(value, at: JSONPointer.root.appending("scheduler"))
            } catch {
                if case .invalidSpec(let found) = error { issues.append(contentsOf: found) }
            }
        }
        let interval: SchedulerInterval = r.choice("scheduler_interval", default: .epoch)
        let hasValidation = data?.hasValidation ?? false
        let monitor: Monitor = r.choice("monitor", default: hasValidation ? .valLoss : .trainLoss)
        if monitor == .valLoss && data != nil && !hasValidation {
            r.record(
                "monitor",
                "\"val_loss\" needs validation data (data.val_size > 0, or val_x and val_y); use \"train_loss\""
            )
        }
        let epochs = r.int(
            "epochs",
            in: 1...limits.maxEpochs,
            requirement: "must be an integer from 1 to \(limits.maxEpochs)"
        )
        var batchSize: Int?
        if r.contains("batch_size") {
            batchSize = r.int("batch_size", in: 1...limits.maxSamples, requirement: "must be a positive integer")
        } else {
            _ = r.raw("batch_size")
        }
        if case .random? = data?.spec, batchSize == nil {
            batchSize = 32
        }
        let shuffle = r.bool("shuffle", default: true)
        let seed = r.int("seed", default: 0, in: 0...Int.max, requirement: "must be a non-negative integer")
        r.rejectUnknownKeys()
        issues.append(contentsOf: r.issues)
        guard let model, let loss, let data, let optimizer, issues.isEmpty else { throw .invalidSpec(issues) }

        let request = TrainingRequest(
            model: model,
            data: data.spec,
            loss: loss,
            optimizer: optimizer,
            scheduler: scheduler,
            interval: interval,
            monitor: monitor,
            epochs: epochs,
            batchSize: batchSize,
            shuffle: shuffle,
            seed: UInt64(seed)
        )
        if model.parameterCount > limits.maxParameters {
            throw .invalidSpec([
                FieldIssue(
                    JSONPointer.root.appending("model"),
                    "the model has \(model.parameterCount) parameters; the limit is \(limits.maxParameters)"
                )
            ])
        }
        let width = model.sizes.first! + model.sizes.last!
        let (dataValues, o0) = data.storedSamples(batchSize: batchSize).multipliedReportingOverflow(by: width)
        if o0 || dataValues > limits.maxDataValues {
            throw .invalidSpec([
                FieldIssue(
                    JSONPointer.root.appending("data"),
                    "the data set would hold \(o0 ? "too many" : String(dataValues)) numbers (samples × (in_features + out_features)); the limit is \(limits.maxDataValues)"
                )
            ])
        }
        let (samples, steps) = data.perEpoch(batchSize: batchSize)
        let scheduleCost = scheduler?.costPerEpoch ?? 0
        let work = TrainingLimits.work(
            epochs: epochs,
            samples: samples,
            steps: steps,
            parameters: model.parameterCount,
            scheduleCost: scheduleCost,
            units: model.sizes.dropFirst().dropLast().reduce(0, +),
            unitCost: TrainingLimits.unitCost(model.activation),
            layers: model.sizes.count - 1
        )
        if work == nil || work! > limits.maxWork {
            throw .invalidSpec([
                FieldIssue(
                    JSONPointer.root.appending("epochs"),
                    "the job is too big: \(epochs) epochs of \(samples) samples and \(steps) optimizer steps on \(model.parameterCount) parameters cost \(work.map(String.init) ?? "more than \(Int.max)") work units; the limit is \(limits.maxWork) (about \(TrainingLimits.approximateSeconds(limits.maxWork))). Use fewer epochs, less data, larger batches or a smaller model"
                )
            ])
        }
        return request
    }

    // MARK: model

    private static func decodeModel(
        _ value: JSONValue?,
        limits: TrainingLimits,
        issues: inout [FieldIssue]
    ) -> ModelSpec? {
        let pointer = JSONPointer.root.appending("model")
        guard value != nil else {
            issues.append(
                FieldIssue(
                    pointer,
                    "is required: {\"type\": \"linear\" | \"mlp\", \"in_features\": ..., \"out_features\": ...}"
                )
            )
            return nil
        }
        var r = ObjectReader(value: value, at: pointer, issues: &issues)
        enum Kind: String, CaseIterable { case linear, mlp }
        let kind: Kind? = r.contains("type") ? r.choice("type", default: Kind.linear) : nil
        if kind == nil {
            _ = r.raw("type")
            r.record("type", "is required: \"linear\" or \"mlp\"")
        }
        let features = 1...limits.maxFeatures
        let inFeatures = r.int(
            "in_features",
            in: features,
            requirement: "must be an integer from 1 to \(limits.maxFeatures)"
        )
        let outFeatures = r.int(
            "out_features",
            in: features,
            requirement: "must be an integer from 1 to \(limits.maxFeatures)"
        )
        let bias = r.bool("bias", default: true)
        var hidden: [Int] = []
        var activation = Activation.relu
        if kind == .mlp {
            if let list = r.intList(
                "hidden",
                maxCount: limits.maxHiddenLayers,
                requirement: "must be a list of layer widths, e.g. [64, 64]"
            ) {
                for (i, width) in list.enumerated() where !features.contains(width) {
                    r.record(
                        FieldIssue(
                            pointer.appending("hidden").appending(i),
                            "must be an integer from 1 to \(limits.maxFeatures), got \(width)"
                        )
                    )
                }
                if list.isEmpty {
                    r.record("hidden", "must list at least one hidden layer (use type \"linear\" for none)")
                }
                hidden = list
            }
            activation = r.choice("activation", default: .relu)
        }
        let sizes = [inFeatures] + hidden + [outFeatures]
        var layers: [Layer]?
        if let initValue = r.raw("init") {
            layers = decodeInit(initValue, sizes: sizes, bias: bias, at: pointer.appending("init"), reader: &r)
        }
        r.rejectUnknownKeys()
        let before = issues.count
        issues.append(contentsOf: r.issues)
        guard issues.count == before, kind != nil else { return nil }
        return ModelSpec(sizes: sizes, activation: activation, bias: bias, initialLayers: layers)
    }

    private static func decodeInit(
        _ value: JSONValue,
        sizes: [Int],
        bias: Bool,
        at pointer: JSONPointer,
        reader r: inout ObjectReader
    ) -> [Layer]? {
        let count = sizes.count - 1
        guard case .array(let items) = value, items.count == count else {
            r.record(
                FieldIssue(
                    pointer,
                    "must be a list of \(count) layer(s) {\"weight\": [out][in], \"bias\": [out]}, got \(value.shortDescription)"
                )
            )
            return nil
        }
        var layers: [Layer] = []
        var ok = true
        for (i, item) in items.enumerated() {
            let inF = sizes[i]
            let outF = sizes[i + 1]
            let at = pointer.appending(i)
            var local: [FieldIssue] = []
            var lr = ObjectReader(value: item, at: at, issues: &local)
            let weight = matrix(lr.raw("weight"), rows: outF, columns: inF, at: at.appending("weight"), reader: &lr)
            var b: [Double]?
            if bias {
                b = vector(lr.raw("bias"), count: outF, at: at.appending("bias"), reader: &lr)
            } else if lr.raw("bias") != nil {
                lr.record("bias", "the model has bias: false, so no bias may be given")
            }
            lr.rejectUnknownKeys()
            for issue in local + lr.issues { r.record(issue) }
            if let weight, !bias || b != nil, local.isEmpty, lr.issues.isEmpty {
                layers.append(Layer(inFeatures: inF, outFeatures: outF, weight: weight.values, bias: b))
            } else {
                ok = false
            }
        }
        return ok ? layers : nil
    }

    // MARK: loss and optimizer

    private static func decodeLoss(_ value: JSONValue?, issues: inout [FieldIssue]) -> Loss? {
        let pointer = JSONPointer.root.appending("loss")
        switch value {
        case .string("mse")?: return .mse
        case .string("l1")?: return .l1
        case .string("huber")?: return .huber(delta: 1.0)
        case .string("cross_entropy")?: return .crossEntropy
        case nil:
            issues.append(FieldIssue(pointer, "is required: \"mse\", \"l1\", \"huber\" or \"cross_entropy\""))
        case let other?:
            issues.append(
                FieldIssue(
                    pointer,
                    "must be \"mse\", \"l1\", \"huber\" or \"cross_entropy\", got \(other.shortDescription)"
                )
            )
        }
        return nil
    }

    private static func decodeOptimizer(_ value: JSONValue?, issues: inout [FieldIssue]) -> OptimizerConfig? {
        let pointer = JSONPointer.root.appending("optimizer")
        guard value != nil else {
            issues.append(FieldIssue(pointer, "is required, e.g. {\"type\": \"SGD\", \"lr\": 0.1}"))
            return nil
        }
        var r = ObjectReader(value: value, at: pointer, issues: &issues)
        enum Kind: String, CaseIterable { case SGD, Adam, AdamW, RMSprop }
        guard r.contains("type") else {
            _ = r.raw("type")
            r.record("type", "is required: \"SGD\", \"Adam\", \"AdamW\" or \"RMSprop\"")
            r.rejectUnknownKeys()
            issues.append(contentsOf: r.issues)
            return nil
        }
        let kind: Kind = r.choice("type", default: .SGD)
        let nonNegative = "must be a non-negative number"
        let config: OptimizerConfig
        switch kind {
        case .SGD:
            var o = SGDOptions(lr: 1e-3)
            o.lr = r.double("lr", default: 1e-3, requirement: nonNegative) { $0 >= 0 }
            o.momentum = r.double("momentum", default: 0, requirement: nonNegative) { $0 >= 0 }
            o.dampening = r.double("dampening", default: 0, requirement: "must be a number")
            o.weightDecay = r.double("weight_decay", default: 0, requirement: nonNegative) { $0 >= 0 }
            o.nesterov = r.bool("nesterov", default: false)
            if o.nesterov && (o.momentum <= 0 || o.dampening != 0) {
                r.record(
                    "nesterov",
                    "Nesterov momentum requires a momentum > 0 and zero dampening (torch raises here too)"
                )
            }
            config = .sgd(o)
        case .Adam, .AdamW:
            var o = AdamOptions()
            o.lr = r.double("lr", default: 1e-3, requirement: nonNegative) { $0 >= 0 }
            let betasPointer = pointer.appending("betas")
            if let betas = r.raw("betas") {
                if case .array(let items) = betas, items.count == 2,
                    let b1 = items[0].doubleValue, let b2 = items[1].doubleValue,
                    (0..<1).contains(b1), (0..<1).contains(b2)
                {
                    o.beta1 = b1
                    o.beta2 = b2
                } else {
                    r.record(
                        FieldIssue(
                            betasPointer,
                            "must be two numbers in [0, 1), e.g. [0.9, 0.999], got \(betas.shortDescription)"
                        )
                    )
                }
            }
            o.eps = r.double("eps", default: 1e-8, requirement: nonNegative) { $0 >= 0 }
            o.weightDecay = r.double("weight_decay", default: kind == .AdamW ? 1e-2 : 0, requirement: nonNegative) {
                $0 >= 0
            }
            o.amsgrad = r.bool("amsgrad", default: false)
            config = kind == .Adam ? .adam(o) : .adamW(o)
        case .RMSprop:
            var o = RMSpropOptions()
            o.lr = r.double("lr", default: 1e-2, requirement: nonNegative) { $0 >= 0 }
            o.alpha = r.double("alpha", default: 0.99, requirement: nonNegative) { $0 >= 0 }
            o.eps = r.double("eps", default: 1e-8, requirement: nonNegative) { $0 >= 0 }
            o.weightDecay = r.double("weight_decay", default: 0, requirement: nonNegative) { $0 >= 0 }
            o.momentum = r.double("momentum", default: 0, requirement: nonNegative) { $0 >= 0 }
            o.centered = r.bool("centered", default: false)
            config = .rmsprop(o)
        }
        r.rejectUnknownKeys()
        let before = issues.count
        issues.append(contentsOf: r.issues)
        return issues.count == before ? config : nil
    }
}

// MARK: numbers

/// A `[rows][columns]` list of numbers, or nil after recording the problem.
func matrix(
    _ value: JSONValue?,
    rows: Int?,
    columns: Int,
    at pointer: JSONPointer,
    reader r: inout ObjectReader
) -> Matrix? {
    guard case .array(let items)? = value, !items.isEmpty else {
        r.record(
            FieldIssue(
                pointer,
                "must be a non-empty list of rows of \(columns) numbers, got \(value?.shortDescription ?? "nothing")"
            )
        )
        return nil
    }
    if let rows, items.count != rows {
        r.record(FieldIssue(pointer, "must have \(rows) rows, got \(items.count)"))
        return nil
    }
    var values: [Double] = []
    values.reserveCapacity(items.count * columns)
    for (i, row) in items.enumerated() {
        guard case .array(let cells) = row, cells.count == columns else {
            r.record(
                FieldIssue(pointer.appending(i), "must be a row of \(columns) numbers, got \(row.shortDescription)")
            )
            return nil
        }
        for (j, cell) in cells.enumerated() {
            guard let d = cell.doubleValue, d.isFinite else {
                r.record(
                    FieldIssue(
                        pointer.appending(i).appending(j),
                        "must be a finite number, got \(cell.shortDescription)"
                    )
                )
                return nil
            }
            values.append(d)
        }
    }
    return Matrix(rows: items.count, columns: columns, values: values)
}

/// A list of `count` numbers, or nil after recording the problem.
func vector(_ value: JSONValue?, count: Int, at pointer: JSONPointer, reader r: inout ObjectReader) -> [Double]? {
    guard case .array(let items)? = value, items.count == count else {
        r.record(FieldIssue(pointer, "must be a list of \(count) numbers, got \(value?.shortDescription ?? "nothing")"))
        return nil
    }
    var values: [Double] = []
    for (i, item) in items.enumerated() {
        guard let d = item.doubleValue, d.isFinite else {
            r.record(FieldIssue(pointer.appending(i), "must be a finite number, got \(item.shortDescription)"))
            return nil
        }
        values.append(d)
    }
    return values
}
