import Testing

@testable import Training

/// Analytic gradients against central finite differences.
@Suite struct GradientTests {
    enum LossCase: String, CaseIterable, CustomTestStringConvertible {
        case mse, l1, huber, huberNarrow, crossEntropy, crossEntropyProbabilities
        var loss: Loss {
            switch self {
            case .mse: .mse
            case .l1: .l1
            case .huber: .huber()
            case .huberNarrow: .huber(delta: 0.3)
            case .crossEntropy, .crossEntropyProbabilities: .crossEntropy
            }
        }
        var testDescription: String { rawValue }
    }

    @Test(arguments: LossCase.allCases, Activation.allCases)
    func matchesFiniteDifferences(lossCase: LossCase, activation: Activation) {
        for bias in [true, false] {
            var seed: UInt64 = 17
            for byte in (lossCase.rawValue + activation.rawValue).utf8 { seed = seed &* 31 &+ UInt64(byte) }
            var rng = SplitMix64(seed: seed &+ (bias ? 1 : 0))
            let outputs = lossCase.loss == .crossEntropy ? 4 : 2
            var network = Network.pytorchDefault(
                sizes: [3, 5, 4, outputs],
                bias: bias,
                activation: activation,
                rng: &rng
            )
            // Larger weights than the default init so every activation works off its linear part.
            for l in network.layers.indices {
                network.layers[l].weight = network.layers[l].weight.map { $0 * 2.5 }
            }
            let batch = randomBatch(
                rows: 6,
                inputs: 3,
                outputs: outputs,
                loss: lossCase.loss,
                soft: lossCase == .crossEntropyProbabilities,
                rng: &rng
            )
            let (value, gradients) = lossAndGradients(network, batch, lossCase.loss)
            #expect(value == evaluateLoss(network, batch, lossCase.loss))
            #expect(gradients.count == network.layers.count)

            let h = 1e-6
            func numeric(_ perturb: (inout Network, Double) -> Void) -> Double {
                var plus = network
                var minus = network
                perturb(&plus, h)
                perturb(&minus, -h)
                return (evaluateLoss(plus, batch, lossCase.loss) - evaluateLoss(minus, batch, lossCase.loss)) / (2 * h)
            }
            func check(_ analytic: Double, _ numeric: Double, _ what: String) {
                let tolerance = 1e-6 * max(abs(analytic), abs(numeric), 1e-2)
                #expect(
                    abs(analytic - numeric) <= tolerance,
                    "\(lossCase) \(activation) bias=\(bias) \(what): analytic \(analytic) vs numeric \(numeric)"
                )
            }
            for l in network.layers.indices {
                #expect(gradients[l].weight.count == network.layers[l].weight.count)
                #expect((gradients[l].bias == nil) == !bias)
                for k in network.layers[l].weight.indices {
                    check(gradients[l].weight[k], numeric { $0.layers[l].weight[k] += $1 }, "layer \(l) weight[\(k)]")
                }
                if let biasGradient = gradients[l].bias {
                    for k in biasGradient.indices {
                        check(biasGradient[k], numeric { $0.layers[l].bias![k] += $1 }, "layer \(l) bias[\(k)]")
                    }
                }
            }
        }
    }

    @Test func singleLayerNetworkHasNoActivation() {
        var rng = SplitMix64(seed: 5)
        let network = Network.pytorchDefault(sizes: [3, 2], bias: true, activation: .relu, rng: &rng)
        let x = Matrix([[1, -2, 3], [-4, 5, -6]])
        let out = network.forward(x)
        for r in 0..<2 {
            for o in 0..<2 {
                var expected = network.layers[0].bias![o]
                for i in 0..<3 { expected += x[r, i] * network.layers[0].weight[o * 3 + i] }
                #expect(
                    relativeDifference(out[r, o], expected) < 1e-15,
                    "output (\(r), \(o)): \(out[r, o]) vs \(expected)"
                )
            }
        }
        // Negative outputs survive: no ReLU after the last layer.
        #expect(out.values.contains { $0 < 0 })
    }

    @Test func reluGradientIsZeroWhereTheUnitIsOff() {
        // Hidden unit 0 is always off (negative pre-activation), so its incoming weights get no gradient.
        let hidden = Layer(weight: [[-1, -1], [1, 1]], bias: [-5, 0])
        let output = Layer(weight: [[2, 3]], bias: [0])
        let network = Network(layers: [hidden, output], activation: .relu)
        let batch = Batch(x: Matrix([[1, 2], [0.5, 0.25]]), target: .values(Matrix([[0], [1]])))
        let (_, gradients) = lossAndGradients(network, batch, .mse)
        #expect(gradients[0].weight[0] == 0 && gradients[0].weight[1] == 0 && gradients[0].bias![0] == 0)
        #expect(gradients[0].weight[2] != 0)
    }
}
