import Testing

@testable import Training

/// Records every call the training loop makes and multiplies the LR per step or per epoch.
struct RecordingController: LearningRateController {
    var lr: Double
    var stepFactor = 1.0
    var epochFactor = 1.0
    var failAtEpoch: Int? = nil
    var events: [String] = []
    var epochsSeen: [(train: Double, validation: Double?)] = []

    struct Failure: Error, Equatable { let epoch: Int }

    mutating func afterOptimizerStep() throws {
        events.append("step")
        lr *= stepFactor
    }

    mutating func afterEpoch(trainLoss: Double, validationLoss: Double?) throws {
        events.append("epoch")
        epochsSeen.append((trainLoss, validationLoss))
        if failAtEpoch == epochsSeen.count - 1 { throw Failure(epoch: epochsSeen.count - 1) }
        lr *= epochFactor
    }
}

@Suite struct TrainTests {
    static func setup(
        seed: UInt64 = 3,
        loss: Loss = .mse,
        activation: Activation = .tanh
    )
        -> (network: Network, batches: [Batch], validation: Batch)
    {
        var rng = SplitMix64(seed: seed)
        let outputs = loss == .crossEntropy ? 3 : 1
        let network = Network.pytorchDefault(sizes: [4, 8, outputs], bias: true, activation: activation, rng: &rng)
        let batches = (0..<3).map { _ in randomBatch(rows: 5, inputs: 4, outputs: outputs, loss: loss, rng: &rng) }
        let validation = randomBatch(rows: 7, inputs: 4, outputs: outputs, loss: loss, rng: &rng)
        return (network, batches, validation)
    }

    @Test func loopOrderAndRecordedValues() throws {
        var (network, batches, validation) = Self.setup()
        var controller = RecordingController(lr: 0.1, stepFactor: 0.9, epochFactor: 0.5)
        let result = try train(
            &network,
            loss: .mse,
            optimizer: .sgd(SGDOptions(lr: 7, momentum: 0.9)),
            epochs: 2,
            batches: { _ in batches },
            validation: validation,
            controller: &controller
        )
        #expect(controller.events == ["step", "step", "step", "epoch", "step", "step", "step", "epoch"])
        #expect(result.steps == 6 && result.stepLRs.count == 6 && result.divergedAt == nil)
        let expectedStepLRs = [
            0.1, 0.1 * 0.9, 0.1 * 0.9 * 0.9, 0.1 * 0.9 * 0.9 * 0.9 * 0.5,
            0.1 * 0.9 * 0.9 * 0.9 * 0.5 * 0.9, 0.1 * 0.9 * 0.9 * 0.9 * 0.5 * 0.9 * 0.9,
        ]
        #expect(result.stepLRs == expectedStepLRs)
        #expect(result.lrs == [expectedStepLRs[0], expectedStepLRs[3]])
        #expect(result.trainLoss.count == 2 && result.validationLoss?.count == 2)
        #expect(controller.epochsSeen.map(\.train) == result.trainLoss)
        #expect(controller.epochsSeen.map(\.validation) == result.validationLoss!.map { Optional($0) })
        // The validation loss is evaluated on the parameters after the epoch's last step.
        #expect(result.validationLoss!.last == evaluateLoss(network, validation, .mse))
    }

    @Test func matchesAHandWrittenLoop() throws {
        let (initial, batches, validation) = Self.setup(loss: .crossEntropy, activation: .gelu)
        let config = OptimizerConfig.adamW(.adamWDefaults(lr: 0.05, amsgrad: true))
        var network = initial
        var controller = ConstantLearningRate(0.05)
        let result = try train(
            &network,
            loss: .crossEntropy,
            optimizer: config,
            epochs: 3,
            batches: { epoch in Array(batches.dropFirst(epoch % 2)) },
            validation: validation,
            controller: &controller
        )

        var manual = initial
        var optimizer = Optimizer(config, for: manual)
        var trainLoss: [Double] = []
        var validationLoss: [Double] = []
        for epoch in 0..<3 {
            var losses: [Double] = []
            for batch in batches.dropFirst(epoch % 2) {
                let (loss, gradients) = lossAndGradients(manual, batch, .crossEntropy)
                losses.append(loss)
                optimizer.step(&manual, gradients: gradients, lr: 0.05)
            }
            trainLoss.append(losses.reduce(0, +) / Double(losses.count))
            validationLoss.append(evaluateLoss(manual, validation, .crossEntropy))
        }
        #expect(network == manual)
        #expect(result.trainLoss == trainLoss)
        #expect(result.validationLoss == validationLoss)
        #expect(result.steps == 3 + 2 + 3)
        #expect(result.lrs == [0.05, 0.05, 0.05])
    }

    @Test(arguments: [
        OptimizerConfig.sgd(SGDOptions(lr: 1e6)),
        OptimizerConfig.sgd(SGDOptions(lr: 1e3, momentum: 0.99, nesterov: true)),
        OptimizerConfig.rmsprop(RMSpropOptions(lr: 1e8)),
    ])
    func hugeLearningRateDiverges(config: OptimizerConfig) throws {
        var (network, batches, validation) = Self.setup(activation: .relu)
        var controller = RecordingController(lr: config.lr, epochFactor: 10)
        let result = try train(
            &network,
            loss: .mse,
            optimizer: config,
            epochs: 200,
            batches: { _ in batches },
            validation: validation,
            controller: &controller
        )
        let epoch = try #require(result.divergedAt, "training at lr \(config.lr) never diverged: \(result.trainLoss)")
        #expect(result.lrs.count == epoch)
        #expect(result.trainLoss.count == epoch)
        #expect(result.validationLoss?.count == epoch)
        #expect(controller.epochsSeen.count == epoch, "afterEpoch must not run for the diverged epoch")
        // stepLRs covers the completed epochs; steps also counts the diverged epoch's steps.
        #expect(result.stepLRs.count == epoch * batches.count)
        #expect(result.steps >= result.stepLRs.count && result.steps <= result.stepLRs.count + batches.count)
        let everything = result.lrs + result.stepLRs + result.trainLoss + (result.validationLoss ?? [])
        let allFinite = everything.allSatisfy { $0.isFinite }
        #expect(allFinite, "non-finite value in \(result)")
    }

    @Test func nonFiniteValidationLossStopsTraining() throws {
        // A validation target of infinity makes only the validation loss non-finite.
        var (network, batches, _) = Self.setup()
        var y = Matrix(rows: 1, columns: 1)
        y[0, 0] = .infinity
        let validation = Batch(x: Matrix([[0.1, 0.2, 0.3, 0.4]]), target: .values(y))
        var controller = ConstantLearningRate(0.01)
        let result = try train(
            &network,
            loss: .mse,
            optimizer: .adam(AdamOptions()),
            epochs: 5,
            batches: { _ in batches },
            validation: validation,
            controller: &controller
        )
        #expect(result.divergedAt == 0)
        #expect(result.trainLoss.isEmpty && result.lrs.isEmpty && result.validationLoss == [] && result.stepLRs.isEmpty)
        #expect(result.steps == 3)
    }

    @Test func controllerErrorsPropagate() {
        var (network, batches, _) = Self.setup()
        var controller = RecordingController(lr: 0.01, failAtEpoch: 1)
        #expect(throws: RecordingController.Failure(epoch: 1)) {
            _ = try train(
                &network,
                loss: .mse,
                optimizer: .sgd(SGDOptions()),
                epochs: 4,
                batches: { _ in batches },
                validation: nil,
                controller: &controller
            )
        }
    }

    @Test func emptyEpochThrows() {
        var (network, batches, _) = Self.setup()
        var controller = ConstantLearningRate(0.01)
        #expect(throws: TrainingError.emptyEpoch(epoch: 2)) {
            _ = try train(
                &network,
                loss: .mse,
                optimizer: .sgd(SGDOptions()),
                epochs: 4,
                batches: { epoch in epoch == 2 ? [] : batches },
                validation: nil,
                controller: &controller
            )
        }
    }

    /// A controller with a scheduler-driven momentum (as CyclicLR and OneCycleLR set it).
    struct CyclingController: LearningRateController {
        var lr: Double
        var momentum: Double?
        var momenta: [Double]
        var stepsTaken = 0
        mutating func afterOptimizerStep() {
            stepsTaken += 1
            momentum = momenta[stepsTaken % momenta.count]
        }
        mutating func afterEpoch(trainLoss: Double, validationLoss: Double?) {}
    }

    @Test(arguments: [
        OptimizerConfig.sgd(SGDOptions(lr: 0.05)),
        OptimizerConfig.sgd(SGDOptions(lr: 0.05, momentum: 0.5, nesterov: true)),
        OptimizerConfig.adam(AdamOptions(lr: 0.01)),
        OptimizerConfig.adamW(.adamWDefaults(lr: 0.01, amsgrad: true)),
        OptimizerConfig.rmsprop(RMSpropOptions(lr: 0.01, momentum: 0.5, centered: true)),
    ])
    func controllerMomentumDrivesTheOptimizer(config: OptimizerConfig) throws {
        let (initial, batches, _) = Self.setup()
        let momenta = [0.95, 0.9, 0.85, 0.9]
        var network = initial
        var controller = CyclingController(lr: 0.02, momentum: momenta[0], momenta: momenta)
        _ = try train(
            &network,
            loss: .mse,
            optimizer: config,
            epochs: 2,
            batches: { _ in batches },
            validation: nil,
            controller: &controller
        )

        // The same run by hand, rebuilding each step's options with the cycled momentum.
        var manual = initial
        var optimizer = Optimizer(config, for: manual)
        var step = 0
        for _ in 0..<2 {
            for batch in batches {
                let (_, gradients) = lossAndGradients(manual, batch, .mse)
                optimizer.step(&manual, gradients: gradients, lr: 0.02, momentum: momenta[step % momenta.count])
                step += 1
            }
        }
        #expect(network == manual)
        // And it differs from ignoring the controller's momentum.
        var ignored = initial
        var constant = ConstantLearningRate(0.02)
        _ = try train(
            &ignored,
            loss: .mse,
            optimizer: config,
            epochs: 2,
            batches: { _ in batches },
            validation: nil,
            controller: &constant
        )
        #expect(ignored != network)
    }

    @Test func withoutValidationTheLossesAreNil() throws {
        var (network, batches, _) = Self.setup()
        var controller = RecordingController(lr: 0.01)
        let result = try train(
            &network,
            loss: .l1,
            optimizer: .rmsprop(RMSpropOptions()),
            epochs: 3,
            batches: { _ in batches },
            validation: nil,
            controller: &controller
        )
        #expect(result.validationLoss == nil)
        #expect(controller.epochsSeen.allSatisfy { $0.validation == nil })
        #expect(result.trainLoss.count == 3)
    }
}
