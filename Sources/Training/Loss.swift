#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a batch's outputs are compared with.
public enum Target: Sendable, Equatable {
    /// Regression targets shaped like the output (`[batch][out]`). With `crossEntropy` these are
    /// class probabilities (torch's probability-target form).
    case values(Matrix)
    /// One class index per row, in `0..<out` (only with `crossEntropy`).
    case classes([Int])
}

/// A PyTorch loss with `reduction="mean"`.
public enum Loss: Sendable, Equatable {
    /// `nn.MSELoss`: mean of `(output - target)²` over every element.
    case mse
    /// `nn.L1Loss`: mean of `|output - target|` over every element.
    case l1
    /// `nn.HuberLoss(delta)`: `0.5 d²` where `|d| < delta`, else `delta * (|d| - 0.5 delta)`, averaged.
    case huber(delta: Double = 1.0)
    /// `nn.CrossEntropyLoss`: mean over the batch of `-log_softmax(logits)[y]` (or
    /// `-Σ p · log_softmax(logits)` for probability targets).
    case crossEntropy
}

/// One minibatch: inputs (`[batch][in]`) and their targets.
public struct Batch: Sendable, Equatable {
    /// The inputs, one sample per row.
    public var x: Matrix
    /// The targets for the rows of `x`.
    public var target: Target

    /// A batch of `x` with `target`.
    public init(x: Matrix, target: Target) {
        self.x = x
        self.target = target
    }
}

extension Network {
    /// Throws `invalidBatch` unless `batch` fits this network and `loss`: a non-empty input with
    /// `inputSize` columns, value targets shaped `[rows][outputSize]`, class targets (cross-entropy
    /// only) one per row in `0..<outputSize`.
    public func validate(_ batch: Batch, loss: Loss) throws(TrainingError) {
        if let problem = problem(with: batch, loss: loss) { throw .invalidBatch(problem) }
    }

    func problem(with batch: Batch, loss: Loss) -> String? {
        if batch.x.rows == 0 { return "the batch has no samples" }
        if batch.x.columns != inputSize {
            return "inputs have \(batch.x.columns) features, the network takes \(inputSize)"
        }
        switch batch.target {
        case .values(let y):
            if y.rows != batch.x.rows || y.columns != outputSize {
                return "targets are \(y.rows)x\(y.columns), the outputs are \(batch.x.rows)x\(outputSize)"
            }
        case .classes(let classes):
            guard loss == .crossEntropy else { return "class targets need the cross-entropy loss" }
            if classes.count != batch.x.rows {
                return "\(classes.count) class targets for \(batch.x.rows) samples"
            }
            if let bad = classes.firstIndex(where: { $0 < 0 || $0 >= outputSize }) {
                return "class target \(classes[bad]) at row \(bad) is outside 0..<\(outputSize)"
            }
        }
        if case .huber(let delta) = loss, !(delta > 0) { return "huber delta must be positive" }
        return nil
    }
}

/// The loss of `network` on `batch` and its gradient with respect to every weight and bias,
/// laid out like `network.layers` (a gradient layer has a bias exactly when the layer has one).
/// The batch must pass `network.validate(batch, loss:)`.
public func lossAndGradients(_ network: Network, _ batch: Batch, _ loss: Loss) -> (loss: Double, gradients: [Layer]) {
    if let problem = network.problem(with: batch, loss: loss) { preconditionFailure(problem) }
    var gradients = network.layers.map { $0.zeroed() }
    let value = backpropagate(network, batch, loss, into: &gradients)
    return (value, gradients)
}

/// The loss of `network` on `batch` (forward pass only). The batch must pass `validate`.
public func evaluateLoss(_ network: Network, _ batch: Batch, _ loss: Loss) -> Double {
    if let problem = network.problem(with: batch, loss: loss) { preconditionFailure(problem) }
    let trace = ForwardTrace(network, batch.x)
    var unused: [Double] = []
    return lossAndOutputGradient(
        trace.output,
        rows: batch.x.rows,
        columns: network.outputSize,
        target: batch.target,
        loss: loss,
        gradient: &unused,
        computeGradient: false
    )
}

/// Forward and backward pass; overwrites `gradients` (which must be shaped like the layers) and
/// returns the loss.
func backpropagate(_ network: Network, _ batch: Batch, _ loss: Loss, into gradients: inout [Layer]) -> Double {
    let trace = ForwardTrace(network, batch.x)
    let rows = batch.x.rows
    var upstream = [Double](repeating: 0, count: trace.output.count)
    let value = lossAndOutputGradient(
        trace.output,
        rows: rows,
        columns: network.outputSize,
        target: batch.target,
        loss: loss,
        gradient: &upstream,
        computeGradient: true
    )
    for index in stride(from: network.layers.count - 1, through: 0, by: -1) {
        let layer = network.layers[index]
        let input = trace.inputs[index]
        linearWeightGradients(layer, input: input, rows: rows, upstream: upstream, gradient: &gradients[index])
        if index > 0 {
            var downstream = [Double](repeating: 0, count: rows * layer.inFeatures)
            linearInputGradient(layer, rows: rows, upstream: upstream, downstream: &downstream)
            activationBackward(network.activation, z: trace.preActivations[index - 1], a: input, grad: &downstream)
            upstream = downstream
        }
    }
    return value
}

/// Writes dL/dW (`Σ_b upstream[b][o] · input[b][i]`) and dL/db (`Σ_b upstream[b][o]`) into `gradient`.
func linearWeightGradients(_ layer: Layer, input: [Double], rows: Int, upstream: [Double], gradient: inout Layer) {
    let inF = layer.inFeatures
    let outF = layer.outFeatures
    input.withUnsafeBufferPointer { xBuf in
        upstream.withUnsafeBufferPointer { gBuf in
            gradient.weight.withUnsafeMutableBufferPointer { dwBuf in
                guard rows > 0 else {
                    for k in dwBuf.indices { dwBuf[k] = 0 }
                    return
                }
                // dW = Gᵀ · X: G is rows × out, X is rows × in, dW is out × in.
                BLAS.multiply(
                    gBuf.baseAddress!,
                    transposeA: true,
                    xBuf.baseAddress!,
                    into: dwBuf.baseAddress!,
                    m: outF,
                    n: inF,
                    k: rows
                )
            }
            if gradient.bias != nil {
                gradient.bias!.withUnsafeMutableBufferPointer { dbBuf in
                    let db = dbBuf.baseAddress!
                    for o in 0..<outF { db[o] = 0 }
                    guard rows > 0 else { return }
                    let g = gBuf.baseAddress!
                    for r in 0..<rows {
                        let gr = g + r * outF
                        for o in 0..<outF { db[o] += gr[o] }
                    }
                }
            }
        }
    }
}

/// Writes dL/d input (`Σ_o upstream[b][o] · W[o][i]`) into `downstream` (zero-filled, `rows × in`).
func linearInputGradient(_ layer: Layer, rows: Int, upstream: [Double], downstream: inout [Double]) {
    let inF = layer.inFeatures
    let outF = layer.outFeatures
    guard rows > 0 else { return }
    layer.weight.withUnsafeBufferPointer { wBuf in
        upstream.withUnsafeBufferPointer { gBuf in
            downstream.withUnsafeMutableBufferPointer { dBuf in
                let w = wBuf.baseAddress!
                let g = gBuf.baseAddress!
                let d = dBuf.baseAddress!
                // dX = G · W: G is rows × out, W is out × in, dX is rows × in.
                BLAS.multiply(g, w, into: d, m: rows, n: inF, k: outF)
            }
        }
    }
}

/// The mean-reduced loss of `output` (`rows × columns`) against `target`. With `computeGradient`,
/// `gradient` (`rows × columns`) receives dL/d output, using the formulas of torch's CPU backward
/// kernels; otherwise it is left alone.
func lossAndOutputGradient(
    _ output: [Double],
    rows: Int,
    columns: Int,
    target: Target,
    loss: Loss,
    gradient: inout [Double],
    computeGradient: Bool
) -> Double {
    precondition(!computeGradient || gradient.count == rows * columns, "gradient buffer has the wrong size")
    return output.withUnsafeBufferPointer { oBuf in
        gradient.withUnsafeMutableBufferPointer { gBuf in
            let out = oBuf.baseAddress!
            let g = computeGradient ? gBuf.baseAddress : nil
            let count = rows * columns
            switch (loss, target) {
            case (.crossEntropy, .classes(let classes)):
                return crossEntropy(out, rows: rows, columns: columns, classes: classes, gradient: g)
            case (.crossEntropy, .values(let probabilities)):
                return softCrossEntropy(
                    out,
                    rows: rows,
                    columns: columns,
                    probabilities: probabilities.values,
                    gradient: g
                )
            case (_, .classes):
                preconditionFailure("class targets need the cross-entropy loss")
            case (.mse, .values(let y)):
                return regression(out, y.values, count: count, gradient: g, kind: .mse)
            case (.l1, .values(let y)):
                return regression(out, y.values, count: count, gradient: g, kind: .l1)
            case (.huber(let delta), .values(let y)):
                return regression(out, y.values, count: count, gradient: g, kind: .huber(delta))
            }
        }
    }
}

private enum RegressionKind {
    case mse, l1
    case huber(Double)
}

/// Elementwise regression losses. Forward: `mean((o - y)²)`, `mean(|o - y|)`, and
/// `mean(z < δ ? 0.5 z² : δ (z - 0.5 δ))` with `z = |o - y|`. Backward (grad_output 1, `n` the
/// element count): `(2/n) · d`, `(1/n) · sgn(d)`, and `d < -δ ? -(1/n) δ : d > δ ? (1/n) δ : (1/n) d`.
private func regression(
    _ out: UnsafePointer<Double>,
    _ target: [Double],
    count: Int,
    gradient g: UnsafeMutablePointer<Double>?,
    kind: RegressionKind
) -> Double {
    target.withUnsafeBufferPointer { yBuf in
        let y = yBuf.baseAddress!
        var sum = 0.0
        switch kind {
        case .mse:
            for k in 0..<count {
                let d = out[k] - y[k]
                sum += d * d
            }
        case .l1:
            for k in 0..<count { sum += abs(out[k] - y[k]) }
        case .huber(let delta):
            for k in 0..<count {
                let z = abs(out[k] - y[k])
                sum += z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta)
            }
        }
        let n = Double(count)
        if let g {
            switch kind {
            case .mse:
                let norm = 2.0 / n
                for k in 0..<count { g[k] = norm * (out[k] - y[k]) }
            case .l1:
                let norm = 1.0 / n
                for k in 0..<count {
                    let d = out[k] - y[k]
                    g[k] = d > 0 ? norm : (d < 0 ? -norm : (d.isNaN ? d : 0))
                }
            case .huber(let delta):
                let norm = 1.0 / n
                for k in 0..<count {
                    let d = out[k] - y[k]
                    g[k] = d < -delta ? -norm * delta : (d > delta ? norm * delta : norm * d)
                }
            }
        }
        return sum / n
    }
}

/// Row-wise `log_softmax` as torch computes it on the CPU: `(x - max) - log(Σ exp(x - max))`.
@inline(__always)
private func logSoftmaxRow(_ x: UnsafePointer<Double>, columns: Int, into lp: UnsafeMutablePointer<Double>) {
    var maximum = x[0]
    for j in 1..<columns where x[j] > maximum || x[j].isNaN {
        if !maximum.isNaN { maximum = x[j] }
    }
    var sum = 0.0
    for j in 0..<columns { sum += exp(x[j] - maximum) }
    let logSum = log(sum)
    for j in 0..<columns { lp[j] = (x[j] - maximum) - logSum }
}

/// Cross-entropy with class indices: `Σ_b -lp[b][y_b] / rows`. Backward mirrors `nll_loss`
/// (`-1/rows` at the target) followed by `log_softmax_backward` (`g - exp(lp) · Σ g`).
private func crossEntropy(
    _ out: UnsafePointer<Double>,
    rows: Int,
    columns: Int,
    classes: [Int],
    gradient: UnsafeMutablePointer<Double>?
) -> Double {
    var lp = [Double](repeating: 0, count: columns)
    return lp.withUnsafeMutableBufferPointer { lpBuf in
        let lp = lpBuf.baseAddress!
        var sum = 0.0
        let n = Double(rows)
        let nllGrad = -(1.0 / n)
        for r in 0..<rows {
            logSoftmaxRow(out + r * columns, columns: columns, into: lp)
            let y = classes[r]
            sum += -lp[y]
            if let gradient {
                let g = gradient + r * columns
                for j in 0..<columns {
                    let upstream = j == y ? nllGrad : 0.0
                    g[j] = upstream - exp(lp[j]) * nllGrad
                }
            }
        }
        return sum / n
    }
}

/// Cross-entropy with class probabilities: `-(Σ lp · p) / rows`. Backward: `g = -(1/rows) · p`,
/// then `g - exp(lp) · Σ g` per row.
private func softCrossEntropy(
    _ out: UnsafePointer<Double>,
    rows: Int,
    columns: Int,
    probabilities: [Double],
    gradient: UnsafeMutablePointer<Double>?
) -> Double {
    var lp = [Double](repeating: 0, count: columns)
    return probabilities.withUnsafeBufferPointer { pBuf in
        lp.withUnsafeMutableBufferPointer { lpBuf in
            let p = pBuf.baseAddress!
            let lp = lpBuf.baseAddress!
            var sum = 0.0
            let n = Double(rows)
            let scale = -(1.0 / n)
            for r in 0..<rows {
                let x = out + r * columns
                let pr = p + r * columns
                logSoftmaxRow(x, columns: columns, into: lp)
                for j in 0..<columns { sum += lp[j] * pr[j] }
                if let gradient {
                    let g = gradient + r * columns
                    var rowSum = 0.0
                    for j in 0..<columns {
                        g[j] = scale * pr[j]
                        rowSum += g[j]
                    }
                    for j in 0..<columns { g[j] = g[j] - exp(lp[j]) * rowSum }
                }
            }
            return -sum / n
        }
    }
}
