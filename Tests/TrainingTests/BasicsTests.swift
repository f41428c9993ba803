import Foundation
import Testing

@testable import Training

@Suite struct BasicsTests {
    @Test func splitMix64ReferenceOutputs() {
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func uniformAndGaussianAreReproducible() {
        var rng = SplitMix64(seed: 42)
        var copy = rng
        #expect(rng.nextUniform() == 0.7415648787718233)
        #expect(rng.nextUniform() == 0.1599103928769201)
        // Box–Muller on the same two draws: u1 = 1 - 0.74156…, u2 = 0.15991…; cos value first, sin value cached.
        let g1 = copy.nextGaussian()
        let g2 = copy.nextGaussian()
        #expect(abs(g1 - 0.8822489062222688) < 1e-15, "first gaussian \(g1)")
        #expect(abs(g2 - 1.388473285287707) < 1e-15, "second gaussian \(g2)")
        #expect(copy.state == rng.state, "two gaussians consume exactly two draws")
    }

    @Test func gaussianMoments() {
        var rng = SplitMix64(seed: 9)
        let n = 100_000
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<n {
            let g = rng.nextGaussian()
            sum += g
            sumSquares += g * g
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 0.02, "mean \(mean)")
        #expect(abs(variance - 1) < 0.02, "variance \(variance)")
    }

    @Test func uniformStaysInUnitInterval() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<10_000 {
            let u = rng.nextUniform()
            #expect(u >= 0 && u < 1)
        }
        // Usable as a RandomNumberGenerator.
        let value = Int.random(in: 0..<10, using: &rng)
        #expect((0..<10).contains(value))
    }

    @Test func matrixLayoutIsRowMajor() {
        var m = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3 && m.values == [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4)
        m[0, 2] = 9
        #expect(m.values[2] == 9)
        #expect(m == Matrix(rows: 2, columns: 3, values: [1, 2, 9, 4, 5, 6]))
        #expect(m.nestedRows == [[1, 2, 9], [4, 5, 6]])
        #expect(Matrix([]).rows == 0)
    }

    @Test func pytorchDefaultInitialisation() {
        var rng = SplitMix64(seed: 11)
        var replay = rng
        let network = Network.pytorchDefault(sizes: [10, 64, 64, 1], bias: true, activation: .relu, rng: &rng)
        #expect(network.parameterCount == 10 * 64 + 64 + 64 * 64 + 64 + 64 + 1)
        #expect(network.layers.map(\.inFeatures) == [10, 64, 64])
        #expect(network.layers.map(\.outFeatures) == [64, 64, 1])
        // Weights row-major, then biases, each (2u - 1) / sqrt(in).
        for (index, layer) in network.layers.enumerated() {
            let bound = 1 / Double(layer.inFeatures).squareRoot()
            for (k, w) in layer.weight.enumerated() {
                let expected = (2 * replay.nextUniform() - 1) * bound
                #expect(w == expected, "layer \(index) weight[\(k)]: \(w) vs \(expected)")
            }
            for (k, b) in layer.bias!.enumerated() {
                let expected = (2 * replay.nextUniform() - 1) * bound
                #expect(b == expected, "layer \(index) bias[\(k)]: \(b) vs \(expected)")
            }
        }
        var again = SplitMix64(seed: 11)
        #expect(Network.pytorchDefault(sizes: [10, 64, 64, 1], bias: true, activation: .relu, rng: &again) == network)
        var noBias = SplitMix64(seed: 11)
        let withoutBias = Network.pytorchDefault(sizes: [3, 2], bias: false, activation: .tanh, rng: &noBias)
        #expect(withoutBias.layers[0].bias == nil && withoutBias.parameterCount == 6)
    }

    @Test func networkValidation() {
        #expect(throws: TrainingError.self) { try Network(validating: [], activation: .relu) }
        let a = Layer(inFeatures: 2, outFeatures: 3, weight: Array(repeating: 0, count: 6), bias: nil)
        let b = Layer(inFeatures: 4, outFeatures: 1, weight: Array(repeating: 0, count: 4), bias: nil)
        #expect(throws: TrainingError.self) { try Network(validating: [a, b], activation: .relu) }
        var broken = a
        broken.weight.removeLast()
        #expect(throws: TrainingError.self) { try Network(validating: [broken], activation: .relu) }
        #expect(throws: Never.self) { try Network(validating: [a], activation: .relu) }
    }

    @Test func activationsMatchTheirDefinitions() {
        let x = Matrix([[-2.0, -0.5, 0, 0.5, 2.0]])
        for activation in Activation.allCases {
            // Linear(5→5, identity) → activation → Linear(5→5, identity).
            let network = Network(
                layers: [identityNetwork(5).layers[0], identityNetwork(5).layers[0]],
                activation: activation
            )
            let y = network.forward(x)
            for (k, v) in x.values.enumerated() {
                let expected: Double
                switch activation {
                case .relu: expected = max(v, 0)
                case .tanh: expected = (exp(2 * v) - 1) / (exp(2 * v) + 1)
                case .sigmoid: expected = 1 / (1 + exp(-v))
                case .gelu: expected = 0.5 * v * (1 + erf(v / 2.0.squareRoot()))
                }
                #expect(abs(y.values[k] - expected) < 1e-12, "\(activation)(\(v)) = \(y.values[k]) vs \(expected)")
            }
        }
    }
}
