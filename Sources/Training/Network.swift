#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The nonlinearity between consecutive linear layers, computed as torch does on the CPU.
public enum Activation: String, CaseIterable, Sendable {
    /// `max(x, 0)`; its gradient is 0 where the output is 0 (`threshold_backward`).
    case relu
    /// `tanh(x)`; gradient `1 - y²` from the output `y`.
    case tanh
    /// `1 / (1 + exp(-x))`; gradient `(1 - y) * y` from the output `y`.
    case sigmoid
    /// PyTorch's default exact GELU, `x * 0.5 * (1 + erf(x * √½))`.
    case gelu
}

/// One `nn.Linear`: `y = x Wᵀ + b`, with `weight` stored `[out][in]` row-major as in PyTorch.
public struct Layer: Sendable, Equatable {
    /// Input features (`in_features`).
    public var inFeatures: Int
    /// Output features (`out_features`).
    public var outFeatures: Int
    /// `outFeatures * inFeatures` weights; row `o` holds the weights of output `o`.
    public var weight: [Double]
    /// `outFeatures` biases, or nil for `bias=False`.
    public var bias: [Double]?

    /// A layer over the given parameters; the counts must match the sizes.
    public init(inFeatures: Int, outFeatures: Int, weight: [Double], bias: [Double]?) {
        precondition(inFeatures > 0 && outFeatures > 0, "Layer sizes must be positive")
        precondition(
            weight.count == inFeatures * outFeatures,
            "Layer \(inFeatures)->\(outFeatures) needs \(inFeatures * outFeatures) weights, got \(weight.count)"
        )
        precondition(
            bias == nil || bias!.count == outFeatures,
            "Layer \(inFeatures)->\(outFeatures) needs \(outFeatures) biases, got \(bias!.count)"
        )
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.weight = weight
        self.bias = bias
    }

    /// A layer from PyTorch's nested weight (`[out][in]`, as `layer.weight.tolist()`) and bias.
    public init(weight rows: [[Double]], bias: [Double]?) {
        let matrix = Matrix(rows)
        self.init(inFeatures: matrix.columns, outFeatures: matrix.rows, weight: matrix.values, bias: bias)
    }

    /// A layer of the same shape with every parameter zero (the layout of its gradient).
    public func zeroed() -> Layer {
        Layer(
            inFeatures: inFeatures,
            outFeatures: outFeatures,
            weight: Array(repeating: 0, count: weight.count),
            bias: bias.map { Array(repeating: 0, count: $0.count) }
        )
    }

    /// Number of parameters (weights plus biases).
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }
}

/// A multilayer perceptron: `Linear → activation → Linear → … → Linear`, with no activation after
/// the last layer (its output is the logits or the regression prediction).
public struct Network: Sendable, Equatable {
    /// The linear layers, input first.
    public var layers: [Layer]
    /// The activation applied after every layer except the last.
    public let activation: Activation

    /// A network over `layers`, which must be non-empty and chain (`out` of one is `in` of the next).
    public init(layers: [Layer], activation: Activation) {
        if let problem = Network.problem(with: layers) { preconditionFailure(problem) }
        self.layers = layers
        self.activation = activation
    }

    /// Like `init(layers:activation:)`, but throws `invalidNetwork` when the layers do not chain.
    public init(validating layers: [Layer], activation: Activation) throws(TrainingError) {
        if let problem = Network.problem(with: layers) { throw .invalidNetwork(problem) }
        self.layers = layers
        self.activation = activation
    }

    private static func problem(with layers: [Layer]) -> String? {
        if layers.isEmpty { return "a network needs at least one layer" }
        for (index, layer) in layers.enumerated() {
            if layer.inFeatures <= 0 || layer.outFeatures <= 0 {
                return "layer \(index): sizes must be positive"
            }
            if layer.weight.count != layer.inFeatures * layer.outFeatures {
                return
                    "layer \(index): expected \(layer.inFeatures * layer.outFeatures) weights, got \(layer.weight.count)"
            }
            if let bias = layer.bias, bias.count != layer.outFeatures {
                return "layer \(index): expected \(layer.outFeatures) biases, got \(bias.count)"
            }
            if index > 0, layers[index - 1].outFeatures != layer.inFeatures {
                return
                    "layer \(index) takes \(layer.inFeatures) inputs but layer \(index - 1) gives \(layers[index - 1].outFeatures)"
            }
        }
        return nil
    }

    /// `nn.Linear`'s default initialisation drawn from `rng`: layer by layer, every weight in
    /// row-major order and then every bias, each `(2u - 1) * bound` with `u = rng.nextUniform()` and
    /// `bound = 1 / sqrt(in_features)` (the bound of `kaiming_uniform_(a=√5)` and of the bias init).
    /// `sizes` lists the feature counts, input first, e.g. `[10, 64, 64, 1]`.
    public static func pytorchDefault(
        sizes: [Int],
        bias: Bool,
        activation: Activation,
        rng: inout SplitMix64
    ) -> Network {
        precondition(sizes.count >= 2, "A network needs at least an input and an output size")
        var layers: [Layer] = []
        for index in 0..<(sizes.count - 1) {
            let inFeatures = sizes[index]
            let outFeatures = sizes[index + 1]
            precondition(inFeatures > 0 && outFeatures > 0, "Layer sizes must be positive")
            let bound = 1.0 / Double(inFeatures).squareRoot()
            var weight = [Double](repeating: 0, count: inFeatures * outFeatures)
            for k in weight.indices { weight[k] = (2.0 * rng.nextUniform() - 1.0) * bound }
            var biases: [Double]? = nil
            if bias {
                var values = [Double](repeating: 0, count: outFeatures)
                for k in values.indices { values[k] = (2.0 * rng.nextUniform() - 1.0) * bound }
                biases = values
            }
            layers.append(Layer(inFeatures: inFeatures, outFeatures: outFeatures, weight: weight, bias: biases))
        }
        return Network(layers: layers, activation: activation)
    }

    /// Input features of the first layer.
    public var inputSize: Int { layers[0].inFeatures }
    /// Output features of the last layer.
    public var outputSize: Int { layers[layers.count - 1].outFeatures }

    /// Total number of weights and biases.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// The network's output for the rows of `x` (`x.columns` must be `inputSize`).
    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "Input has \(x.columns) features, the network takes \(inputSize)")
        let trace = ForwardTrace(self, x)
        return Matrix(rows: x.rows, columns: outputSize, values: trace.output)
    }
}

// MARK: - Forward pass

/// The values a forward pass leaves for the backward pass.
struct ForwardTrace {
    /// `inputs[l]` is the input of layer `l` (`batch × in_l`); `inputs[0]` is the batch itself.
    var inputs: [[Double]]
    /// `preActivations[l]` is layer `l`'s output before the activation, for every hidden layer.
    var preActivations: [[Double]]
    /// The last layer's output (`batch × out`).
    var output: [Double]
    let batch: Int

    init(_ network: Network, _ x: Matrix) {
        batch = x.rows
        inputs = []
        inputs.reserveCapacity(network.layers.count)
        preActivations = []
        preActivations.reserveCapacity(network.layers.count - 1)
        var current = x.values
        for (index, layer) in network.layers.enumerated() {
            var z = [Double](repeating: 0, count: batch * layer.outFeatures)
            linearForward(layer, input: current, batch: batch, output: &z)
            inputs.append(current)
            if index == network.layers.count - 1 {
                output = z
                return
            }
            current = activate(network.activation, z)
            preActivations.append(z)
        }
        output = current
    }
}

/// `output = input Wᵀ + b` for `batch` rows, as torch's `addmm`: the bias rows first, then one
/// BLAS product added to them.
@inline(__always)
func linearForward(_ layer: Layer, input: [Double], batch: Int, output: inout [Double]) {
    let inF = layer.inFeatures
    let outF = layer.outFeatures
    input.withUnsafeBufferPointer { xBuf in
        layer.weight.withUnsafeBufferPointer { wBuf in
            output.withUnsafeMutableBufferPointer { oBuf in
                guard batch > 0 else { return }
                let x = xBuf.baseAddress!
                let w = wBuf.baseAddress!
                let out = oBuf.baseAddress!
                if let bias = layer.bias {
                    bias.withUnsafeBufferPointer { bBuf in
                        let b = bBuf.baseAddress!
                        for r in 0..<batch {
                            let row = out + r * outF
                            for o in 0..<outF { row[o] = b[o] }
                        }
                    }
                }
                // Z += X · Wᵀ (Z holds the bias rows): X is batch × in, W is out × in.
                BLAS.multiply(
                    x,
                    w,
                    transposeB: true,
                    into: out,
                    m: batch,
                    n: outF,
                    k: inF,
                    beta: layer.bias == nil ? 0 : 1
                )
            }
        }
    }
}

/// The activation applied elementwise, with torch's CPU formulas.
func activate(_ activation: Activation, _ z: [Double]) -> [Double] {
    var a = [Double](repeating: 0, count: z.count)
    z.withUnsafeBufferPointer { zBuf in
        a.withUnsafeMutableBufferPointer { aBuf in
            let n = zBuf.count
            guard n > 0 else { return }
            let z = zBuf.baseAddress!
            let a = aBuf.baseAddress!
            switch activation {
            case .relu:
                for k in 0..<n { a[k] = z[k] < 0 ? 0 : z[k] }
            case .tanh:
                for k in 0..<n { a[k] = tanh(z[k]) }
            case .sigmoid:
                for k in 0..<n { a[k] = 1.0 / (1.0 + exp(-z[k])) }
            case .gelu:
                for k in 0..<n { a[k] = z[k] * 0.5 * (1.0 + erf(z[k] * sqrtHalf)) }
            }
        }
    }
    return a
}

/// Turns `grad` (dL/d output of the activation) into dL/d input of the activation, in place.
/// `z` is the activation's input and `a` its output.
func activationBackward(_ activation: Activation, z: [Double], a: [Double], grad: inout [Double]) {
    z.withUnsafeBufferPointer { zBuf in
        a.withUnsafeBufferPointer { aBuf in
            grad.withUnsafeMutableBufferPointer { gBuf in
                let n = gBuf.count
                guard n > 0 else { return }
                let z = zBuf.baseAddress!
                let a = aBuf.baseAddress!
                let g = gBuf.baseAddress!
                switch activation {
                case .relu:
                    // Both loads unconditional, so the loop is a vector select, not a branch per element.
                    for k in 0..<n {
                        let gradient = g[k]
                        g[k] = a[k] <= 0 ? 0 : gradient
                    }
                case .tanh:
                    for k in 0..<n { g[k] = g[k] * (1.0 - a[k] * a[k]) }
                case .sigmoid:
                    for k in 0..<n { g[k] = g[k] * (1.0 - a[k]) * a[k] }
                case .gelu:
                    for k in 0..<n {
                        let x = z[k]
                        let cdf = 0.5 * (1.0 + erf(x * sqrtHalf))
                        let pdf = geluBeta * exp(x * x * -0.5)
                        g[k] = g[k] * (cdf + x * pdf)
                    }
                }
            }
        }
    }
}

/// √½ as `M_SQRT1_2`.
let sqrtHalf: Double = 0.707_106_781_186_547_524_40
/// `M_2_SQRTPI * M_SQRT1_2 * 0.5` = 1/√(2π), GELU's density factor in torch's backward.
let geluBeta: Double = 1.128_379_167_095_512_573_90 * 0.707_106_781_186_547_524_40 * 0.5
