import JSON
import Schedules

/// A decoded `data` member with what the rest of the decoder needs to know about it.
struct DecodedData {
    var spec: DataSpec
    var hasValidation: Bool
    var trainSize: Int
    var valSize: Int

    /// Samples held in memory at once: the whole data set, or one random batch.
    func storedSamples(batchSize: Int?) -> Int {
        if case .random = spec { return batchSize ?? 32 }
        return trainSize + valSize
    }

    /// Samples processed (training and validation) and optimizer steps taken per epoch, for
    /// the work budget.
    func perEpoch(batchSize: Int?) -> (samples: Int, steps: Int) {
        switch spec {
        case .random(let steps, _):
            return (steps * (batchSize ?? 32), steps)
        default:
            let size = Swift.min(batchSize ?? trainSize, trainSize)
            return (trainSize + valSize, (trainSize + size - 1) / size)
        }
    }
}

extension TrainingRequest {
    static func decodeData(
        _ value: JSONValue?,
        model: ModelSpec?,
        loss: Loss?,
        limits: TrainingLimits,
        issues: inout [FieldIssue]
    ) -> DecodedData? {
        let pointer = JSONPointer.root.appending("data")
        guard value != nil else {
            issues.append(FieldIssue(pointer, "is required: {\"type\": \"synthetic\" | \"random\" | \"inline\", ...}"))
            return nil
        }
        var r = ObjectReader(value: value, at: pointer, issues: &issues)
        enum Kind: String, CaseIterable { case synthetic, random, inline }
        guard r.contains("type") else {
            _ = r.raw("type")
            r.record("type", "is required: \"synthetic\", \"random\" or \"inline\"")
            r.rejectUnknownKeys()
            issues.append(contentsOf: r.issues)
            return nil
        }
        let kind: Kind = r.choice("type", default: .synthetic)
        let classification = loss == .crossEntropy
        let inFeatures = model?.sizes.first ?? 1
        let outFeatures = model?.sizes.last ?? 1
        let samples = 1...limits.maxSamples
        var result: DecodedData?
        switch kind {
        case .synthetic:
            let task: SyntheticData.Task = r.choice("task", default: classification ? .classification : .regression)
            let teacher: SyntheticData.Teacher = r.choice("teacher", default: .linear)
            let classes =
                task == .classification
                ? r.int(
                    "classes",
                    default: outFeatures,
                    in: 1...limits.maxFeatures,
                    requirement: "must be an integer >= 2"
                )
                : 0
            if task == .classification && classes < 2 {
                r.record(
                    r.contains("classes") ? "classes" : "task",
                    "a classification task needs at least 2 classes (model.out_features = \(outFeatures))"
                )
            }
            let trainSize = r.int(
                "train_size",
                default: 256,
                in: samples,
                requirement: "must be an integer from 1 to \(limits.maxSamples)"
            )
            let valSize = r.int(
                "val_size",
                default: 64,
                in: 0...limits.maxSamples,
                requirement: "must be an integer from 0 to \(limits.maxSamples)"
            )
            let noise = r.double(
                "noise",
                default: task == .classification ? 1.0 : 0.1,
                requirement: "must be a non-negative number"
            ) { $0 >= 0 }
            let seed = r.int("seed", default: 0, in: 0...Int.max, requirement: "must be a non-negative integer")
            if task == .classification {
                if loss != nil && !classification {
                    r.record("task", "a classification task needs loss \"cross_entropy\"")
                }
                if classes != outFeatures, model != nil {
                    r.record("classes", "must equal model.out_features (\(outFeatures)), got \(classes)")
                }
            } else if classification {
                r.record("task", "loss \"cross_entropy\" needs task \"classification\"")
            }
            result = DecodedData(
                spec: .synthetic(
                    SyntheticData(
                        task: task,
                        teacher: teacher,
                        classes: classes,
                        trainSize: trainSize,
                        valSize: valSize,
                        noise: noise,
                        seed: UInt64(seed)
                    )
                ),
                hasValidation: valSize > 0,
                trainSize: trainSize,
                valSize: valSize
            )
        case .random:
            let steps = r.int(
                "steps_per_epoch",
                default: 1,
                in: samples,
                requirement: "must be an integer from 1 to \(limits.maxSamples)"
            )
            let seed = r.int("seed", default: 0, in: 0...Int.max, requirement: "must be a non-negative integer")
            if classification {
                r.record("type", "random data has real-valued targets; use loss \"mse\", \"l1\" or \"huber\"")
            }
            result = DecodedData(
                spec: .random(stepsPerEpoch: steps, seed: UInt64(seed)),
                hasValidation: false,
                trainSize: steps,
                valSize: 0
            )
        case .inline:
            let train = batch(
                x: r.raw("x"),
                y: r.raw("y"),
                xKey: "x",
                yKey: "y",
                inFeatures: inFeatures,
                outFeatures: outFeatures,
                classification: classification,
                limits: limits,
                reader: &r
            )
            var validation: Batch?
            let hasValX = r.contains("val_x")
            let hasValY = r.contains("val_y")
            if hasValX || hasValY {
                if hasValX != hasValY {
                    _ = r.raw("val_x")
                    _ = r.raw("val_y")
                    r.record(hasValX ? "val_y" : "val_x", "val_x and val_y go together")
                } else {
                    validation = batch(
                        x: r.raw("val_x"),
                        y: r.raw("val_y"),
                        xKey: "val_x",
                        yKey: "val_y",
                        inFeatures: inFeatures,
                        outFeatures: outFeatures,
                        classification: classification,
                        limits: limits,
                        reader: &r
                    )
                }
            } else {
                _ = r.raw("val_x")
                _ = r.raw("val_y")
            }
            if let train {
                result = DecodedData(
                    spec: .inline(train: train, validation: validation),
                    hasValidation: validation != nil,
                    trainSize: train.x.rows,
                    valSize: validation?.x.rows ?? 0
                )
            }
        }
        r.rejectUnknownKeys()
        let before = issues.count
        issues.append(contentsOf: r.issues)
        return issues.count == before ? result : nil
    }

    /// Inline inputs and targets: rows must agree with the model's features (or classes).
    private static func batch(
        x: JSONValue?,
        y: JSONValue?,
        xKey: String,
        yKey: String,
        inFeatures: Int,
        outFeatures: Int,
        classification: Bool,
        limits: TrainingLimits,
        reader r: inout ObjectReader
    ) -> Batch? {
        let xPointer = r.pointer.appending(xKey)
        let yPointer = r.pointer.appending(yKey)
        if case .array(let rows)? = x, rows.count > limits.maxSamples {
            r.record(xKey, "must have at most \(limits.maxSamples) rows, got \(rows.count)")
            return nil
        }
        guard let inputs = matrix(x, rows: nil, columns: inFeatures, at: xPointer, reader: &r) else { return nil }
        if classification {
            guard case .array(let labels)? = y, labels.count == inputs.rows else {
                r.record(
                    FieldIssue(
                        yPointer,
                        "must be a list of \(inputs.rows) class indices (one per row of \(xKey)), got \(y?.shortDescription ?? "nothing")"
                    )
                )
                return nil
            }
            var classes: [Int] = []
            for (i, label) in labels.enumerated() {
                guard case .integer(let c) = label, (0..<outFeatures).contains(c) else {
                    r.record(
                        FieldIssue(
                            yPointer.appending(i),
                            "must be a class index from 0 to \(outFeatures - 1) (model.out_features classes), got \(label.shortDescription)"
                        )
                    )
                    return nil
                }
                classes.append(c)
            }
            return Batch(x: inputs, target: .classes(classes))
        }
        guard let targets = matrix(y, rows: inputs.rows, columns: outFeatures, at: yPointer, reader: &r) else {
            return nil
        }
        return Batch(x: inputs, target: .values(targets))
    }
}
