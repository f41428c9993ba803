import Testing

@testable import Training

/// Loss values on known outputs (an identity network passes the inputs through unchanged).
@Suite struct LossTests {
    let outputs = Matrix([[1, 2], [3, 4]])
    let targets = Target.values(Matrix([[0, 2], [5, 1]]))  // differences 1, 0, -2, 3

    func loss(_ loss: Loss, _ x: Matrix, _ target: Target) -> Double {
        evaluateLoss(identityNetwork(x.columns), Batch(x: x, target: target), loss)
    }

    @Test func meanSquaredError() {
        #expect(loss(.mse, outputs, targets) == 3.5)
    }

    @Test func meanAbsoluteError() {
        #expect(loss(.l1, outputs, targets) == 1.5)
    }

    @Test func huberBothBranches() {
        // delta 1: |d| = 1, 2, 3 are linear (0.5, 1.5, 2.5), 0 is quadratic → 4.5 / 4.
        #expect(loss(.huber(), outputs, targets) == 1.125)
        #expect(Loss.huber() == .huber(delta: 1.0))
        // delta 2.5: 1 and 2 quadratic (0.5, 2), 3 linear (2.5 · 1.75) → 6.875 / 4.
        #expect(loss(.huber(delta: 2.5), outputs, targets) == 1.71875)
    }

    @Test func crossEntropyIsStableForLargeLogits() {
        let logits = Matrix([[1000, 0, -1000], [1e4, 1e4, 0], [1, 2, 3]])
        let value = loss(.crossEntropy, logits, .classes([1, 0, 2]))
        // torch.nn.CrossEntropyLoss on the same logits.
        #expect(value.isFinite)
        #expect(
            relativeDifference(value, 333.7002510483348) < 1e-15,
            "cross-entropy \(value) vs torch 333.7002510483348"
        )
        #expect(loss(.crossEntropy, Matrix([[1000, 0, -1000]]), .classes([0])) == 0)
        #expect(loss(.crossEntropy, Matrix([[-1e300, 1e300]]), .classes([0])) == 2e300)
    }

    @Test func crossEntropyGradientIsSoftmaxMinusOneHot() {
        let network = identityNetwork(3)
        let batch = Batch(x: Matrix([[1000, 0, -1000], [0, 0, 0]]), target: .classes([1, 2]))
        let (_, gradients) = lossAndGradients(network, batch, .crossEntropy)
        // dL/dW[o][i] = Σ_b (softmax - onehot)[b][o] · x[b][i] / 2, every entry finite.
        let allFinite = gradients[0].weight.allSatisfy { $0.isFinite }
        #expect(allFinite)
        #expect(abs(gradients[0].weight[0] - 500) < 1e-12, "dW[0][0] = \(gradients[0].weight[0])")
        #expect(abs(gradients[0].weight[3] + 500) < 1e-12, "dW[1][0] = \(gradients[0].weight[3])")
    }

    @Test func probabilityTargetsMatchClassTargetsWhenOneHot() {
        let logits = Matrix([[0.3, -1.2, 2.0], [1.5, 0.1, -0.4]])
        let hard = loss(.crossEntropy, logits, .classes([2, 0]))
        let soft = loss(.crossEntropy, logits, .values(Matrix([[0, 0, 1], [1, 0, 0]])))
        #expect(relativeDifference(hard, soft) < 1e-15, "\(hard) vs \(soft)")
    }

    @Test func geluNetworkMatchesTorch() {
        // torch: Linear(2,3) → GELU → Linear(3,3), float64, same parameters and inputs.
        let network = Network(
            layers: [
                Layer(weight: [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], bias: [0.1, -0.2, 0.05]),
                Layer(weight: [[0.7, -0.4, 0.3], [0.1, 0.9, -0.5], [-0.3, 0.2, 0.6]], bias: [0.0, 0.1, -0.1]),
            ],
            activation: .gelu
        )
        let x = Matrix([[1.0, 2.0], [-0.5, 0.3], [0.7, -1.2], [0.0, 0.4]])
        let ce = evaluateLoss(network, Batch(x: x, target: .classes([0, 2, 1, 2])), .crossEntropy)
        #expect(relativeDifference(ce, 1.4509837231029716) < 1e-14, "cross-entropy \(ce) vs torch 1.4509837231029716")
        let huber = evaluateLoss(
            network,
            Batch(x: x, target: .values(Matrix(Array(repeating: [0.5, 2, -1], count: 4)))),
            .huber(delta: 0.5)
        )
        #expect(relativeDifference(huber, 0.39267908117763656) < 1e-14, "huber \(huber) vs torch 0.39267908117763656")
    }

    @Test func batchValidation() {
        let network = identityNetwork(2)
        let good = Batch(x: outputs, target: targets)
        #expect(throws: Never.self) { try network.validate(good, loss: .mse) }
        #expect(throws: TrainingError.self) {
            try network.validate(Batch(x: outputs, target: .classes([0, 1])), loss: .mse)
        }
        #expect(throws: TrainingError.self) {
            try network.validate(Batch(x: outputs, target: .classes([0, 2])), loss: .crossEntropy)
        }
        #expect(throws: TrainingError.self) {
            try network.validate(Batch(x: Matrix([[1, 2, 3]]), target: targets), loss: .mse)
        }
        #expect(throws: TrainingError.self) {
            try network.validate(Batch(x: outputs, target: .values(Matrix([[1, 2]]))), loss: .l1)
        }
        #expect(throws: TrainingError.self) { try network.validate(good, loss: .huber(delta: 0)) }
    }
}
