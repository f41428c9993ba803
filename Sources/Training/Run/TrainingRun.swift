import JSON
import Schedules

extension TrainingRequest {
    /// Runs the job: builds the model (explicit `init`, or nn.Linear's default init from
    /// `SplitMix64(seed)`), materialises the data, and trains with the schedule driving the
    /// optimizer's learning rate. Deterministic for a given request.
    ///
    /// Random streams: model init, then shuffling, draw from `SplitMix64(seed)` in that order;
    /// synthetic and random data draw from `SplitMix64(data.seed)`. A shuffle is a Fisher–Yates
    /// pass with `j = next() % (i + 1)` for i from n−1 down to 1.
    public func run(cancellation: TrainingCancellation? = nil) throws(TrainingRunError) -> TrainingResult {
        var rng = SplitMix64(seed: seed)
        var network: Network
        if let layers = model.initialLayers {
            network = Network(layers: layers, activation: model.activation)
        } else {
            network = Network.pytorchDefault(
                sizes: model.sizes,
                bias: model.bias,
                activation: model.activation,
                rng: &rng
            )
        }
        let schedule: LiveSchedule?
        do {
            schedule = try scheduler.map { spec throws(ScheduleError) in try LiveSchedule(spec, lr: baseLR) }
        } catch {
            throw .schedule(error)
        }
        var controller = ScheduleController(
            schedule: schedule,
            constant: baseLR,
            interval: interval,
            monitor: monitor,
            cancellation: cancellation
        )

        let batches: (Int) -> [Batch]
        var validation: Batch?
        switch data {
        case .random(let stepsPerEpoch, let dataSeed):
            var dataRNG = SplitMix64(seed: dataSeed)
            let rows = batchSize ?? 32
            let inF = model.sizes.first!
            let outF = model.sizes.last!
            batches = { _ in
                (0..<stepsPerEpoch).map { _ in
                    Batch(
                        x: gaussianMatrix(rows: rows, columns: inF, rng: &dataRNG),
                        target: .values(gaussianMatrix(rows: rows, columns: outF, rng: &dataRNG))
                    )
                }
            }
        case .synthetic(let synthetic):
            let (train, val) = synthetic.generate(inFeatures: model.sizes.first!, outFeatures: model.sizes.last!)
            validation = val
            batches = epochBatches(train, batchSize: batchSize, shuffle: shuffle, rng: rng)
        case .inline(let train, let val):
            validation = val
            batches = epochBatches(train, batchSize: batchSize, shuffle: shuffle, rng: rng)
        }
        do {
            return try train(
                &network,
                loss: loss,
                optimizer: optimizer,
                epochs: epochs,
                batches: batches,
                validation: validation,
                controller: &controller
            )
        } catch let error as ScheduleError {
            if case .evaluationFailed(let issue, _) = error {
                throw .schedule(.evaluationFailed(issue, epoch: controller.epoch))
            }
            throw .schedule(error)
        } catch let error as TrainingError {
            throw .training(error, epoch: controller.epoch)
        } catch is TrainingCancellation.Cancelled {
            throw .cancelled(epoch: controller.epoch)
        } catch {
            throw .training(.unexpected(String(describing: type(of: error))), epoch: controller.epoch)
        }
    }
}

/// Steps a `LiveSchedule` the way a PyTorch training loop does: after each optimizer step or
/// after each epoch, and ReduceLROnPlateau once per epoch with the monitored loss.
struct ScheduleController: LearningRateController {
    let schedule: LiveSchedule?
    let constant: Double
    let interval: SchedulerInterval
    let monitor: Monitor
    let cancellation: TrainingCancellation?
    /// Epochs completed so far.
    private(set) var epoch = 0

    var lr: Double { schedule?.lr ?? constant }

    var momentum: Double? { schedule?.momentum }

    mutating func afterOptimizerStep() throws {
        if let cancellation, cancellation.isCancelled { throw TrainingCancellation.Cancelled() }
        guard let schedule, interval == .step, !schedule.needsMetric else { return }
        try schedule.step()
    }

    mutating func afterEpoch(trainLoss: Double, validationLoss: Double?) throws {
        defer { epoch += 1 }
        guard let schedule else { return }
        if schedule.needsMetric {
            try schedule.step(metric: monitor == .valLoss ? (validationLoss ?? trainLoss) : trainLoss)
        } else if interval == .epoch {
            try schedule.step()
        }
    }
}

/// A closure giving each epoch's batches of `data`, in order or shuffled.
func epochBatches(_ data: Batch, batchSize: Int?, shuffle: Bool, rng: SplitMix64) -> (Int) -> [Batch] {
    var rng = rng
    let n = data.x.rows
    let size = Swift.min(batchSize ?? n, n)
    var order = Array(0..<n)
    guard shuffle else {
        let inOrder = stride(from: 0, to: n, by: size).map { data.rows(Array($0..<Swift.min($0 + size, n))) }
        return { _ in inOrder }
    }
    return { _ in
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        return stride(from: 0, to: n, by: size).map { data.rows(Array(order[$0..<Swift.min($0 + size, n)])) }
    }
}

/// A matrix of independent N(0, 1) draws.
func gaussianMatrix(rows: Int, columns: Int, rng: inout SplitMix64) -> Matrix {
    var values = [Double]()
    values.reserveCapacity(rows * columns)
    for _ in 0..<(rows * columns) { values.append(rng.nextGaussian()) }
    return Matrix(rows: rows, columns: columns, values: values)
}

extension Batch {
    /// The rows at `indices`, in that order.
    func rows(_ indices: [Int]) -> Batch {
        let columns = x.columns
        var xs = [Double]()
        xs.reserveCapacity(indices.count * columns)
        for i in indices { xs.append(contentsOf: x.values[(i * columns)..<((i + 1) * columns)]) }
        let picked = Matrix(rows: indices.count, columns: columns, values: xs)
        switch target {
        case .classes(let labels):
            return Batch(x: picked, target: .classes(indices.map { labels[$0] }))
        case .values(let y):
            var ys = [Double]()
            ys.reserveCapacity(indices.count * y.columns)
            for i in indices { ys.append(contentsOf: y.values[(i * y.columns)..<((i + 1) * y.columns)]) }
            return Batch(x: picked, target: .values(Matrix(rows: indices.count, columns: y.columns, values: ys)))
        }
    }
}

extension SyntheticData {
    /// Generates the training and validation sets from `SplitMix64(seed)`.
    ///
    /// Regression: inputs N(0, 1); targets = teacher(x) + noise·N(0, 1), where the teacher is a
    /// linear map (or a `in → 32 → out` tanh MLP) with N(0, 1/fan_in) weights and N(0, 0.01) biases.
    /// Classification: `classes` centres drawn N(0, 9) per coordinate; sample i has class
    /// i mod classes and input centre + noise·N(0, 1).
    func generate(inFeatures: Int, outFeatures: Int) -> (train: Batch, validation: Batch?) {
        var rng = SplitMix64(seed: seed)
        let total = trainSize + valSize
        let all: Batch
        switch task {
        case .regression:
            let sizes = teacher == .linear ? [inFeatures, outFeatures] : [inFeatures, 32, outFeatures]
            var layers: [Layer] = []
            for (fanIn, fanOut) in zip(sizes, sizes.dropFirst()) {
                let scale = 1 / Double(fanIn).squareRoot()
                let weight = (0..<(fanIn * fanOut)).map { _ in rng.nextGaussian() * scale }
                let bias = (0..<fanOut).map { _ in rng.nextGaussian() * 0.1 }
                layers.append(Layer(inFeatures: fanIn, outFeatures: fanOut, weight: weight, bias: bias))
            }
            let teacherNetwork = Network(layers: layers, activation: .tanh)
            let x = gaussianMatrix(rows: total, columns: inFeatures, rng: &rng)
            var y = teacherNetwork.forward(x)
            for i in y.values.indices { y.values[i] += noise * rng.nextGaussian() }
            all = Batch(x: x, target: .values(y))
        case .classification:
            let centres = (0..<(classes * inFeatures)).map { _ in rng.nextGaussian() * 3 }
            var xs = [Double]()
            var labels = [Int]()
            xs.reserveCapacity(total * inFeatures)
            for i in 0..<total {
                let c = i % classes
                labels.append(c)
                for j in 0..<inFeatures { xs.append(centres[c * inFeatures + j] + noise * rng.nextGaussian()) }
            }
            all = Batch(x: Matrix(rows: total, columns: inFeatures, values: xs), target: .classes(labels))
        }
        let train = all.rows(Array(0..<trainSize))
        let validation = valSize > 0 ? all.rows(Array(trainSize..<total)) : nil
        return (train, validation)
    }
}
