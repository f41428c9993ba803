import Foundation
import Testing

@testable import Training

/// Relative difference `|a - b| / max(|a|, |b|, floor)`.
func relativeDifference(_ a: Double, _ b: Double, floor: Double = 1e-300) -> Double {
    if a == b { return 0 }
    return abs(a - b) / max(abs(a), abs(b), floor)
}

/// Every parameter of `network`, layer by layer, weight then bias (torch's `parameters()` order).
func flatParameters(_ network: Network) -> [Double] {
    network.layers.flatMap { $0.weight + ($0.bias ?? []) }
}

/// A batch of `rows` standard-normal inputs with targets suited to `loss`.
func randomBatch(
    rows: Int,
    inputs: Int,
    outputs: Int,
    loss: Loss,
    soft: Bool = false,
    rng: inout SplitMix64
) -> Batch {
    var x = Matrix(rows: rows, columns: inputs)
    for k in x.values.indices { x.values[k] = rng.nextGaussian() }
    switch loss {
    case .crossEntropy where soft:
        var y = Matrix(rows: rows, columns: outputs)
        for r in 0..<rows {
            var weights = (0..<outputs).map { _ in rng.nextUniform() + 0.05 }
            let total = weights.reduce(0, +)
            weights = weights.map { $0 / total }
            for c in 0..<outputs { y[r, c] = weights[c] }
        }
        return Batch(x: x, target: .values(y))
    case .crossEntropy:
        return Batch(x: x, target: .classes((0..<rows).map { _ in Int(rng.next() % UInt64(outputs)) }))
    default:
        var y = Matrix(rows: rows, columns: outputs)
        for k in y.values.indices { y.values[k] = rng.nextGaussian() }
        return Batch(x: x, target: .values(y))
    }
}

/// A one-layer network without activation whose output equals its input (`columns` wide).
func identityNetwork(_ columns: Int) -> Network {
    var weight = [Double](repeating: 0, count: columns * columns)
    for k in 0..<columns { weight[k * columns + k] = 1 }
    return Network(
        layers: [Layer(inFeatures: columns, outFeatures: columns, weight: weight, bias: nil)],
        activation: .relu
    )
}
