#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `torch.optim.SGD` hyper-parameters (defaults as in torch).
public struct SGDOptions: Sendable, Equatable {
    /// Learning rate (replaced by the schedule's LR at every step).
    public var lr: Double
    /// Momentum factor; 0 disables the momentum buffer.
    public var momentum: Double
    /// Dampening applied to the gradient when it is added to the momentum buffer.
    public var dampening: Double
    /// L2 penalty added to the gradient (`grad + weight_decay * param`).
    public var weightDecay: Double
    /// Nesterov momentum (needs `momentum > 0` and `dampening == 0`).
    public var nesterov: Bool

    /// SGD options; every argument defaults to torch's default.
    public init(
        lr: Double = 1e-3,
        momentum: Double = 0,
        dampening: Double = 0,
        weightDecay: Double = 0,
        nesterov: Bool = false
    ) {
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }
}

/// `torch.optim.Adam` / `AdamW` hyper-parameters (`betas = (beta1, beta2)`).
public struct AdamOptions: Sendable, Equatable {
    /// Learning rate (replaced by the schedule's LR at every step).
    public var lr: Double
    /// Decay of the first-moment average.
    public var beta1: Double
    /// Decay of the second-moment average.
    public var beta2: Double
    /// Term added to the denominator.
    public var eps: Double
    /// Adam: L2 penalty added to the gradient. AdamW: decoupled decay, `param *= 1 - lr * weight_decay`.
    public var weightDecay: Double
    /// Normalise by the running maximum of the second moment (AMSGrad).
    public var amsgrad: Bool

    /// Torch's default weight decay for `Adam`.
    public static let adamDefaultWeightDecay = 0.0
    /// Torch's default weight decay for `AdamW`.
    public static let adamWDefaultWeightDecay = 1e-2

    /// Options with torch's `Adam` defaults (weight decay 0).
    public init(
        lr: Double = 1e-3,
        beta1: Double = 0.9,
        beta2: Double = 0.999,
        eps: Double = 1e-8,
        weightDecay: Double = AdamOptions.adamDefaultWeightDecay,
        amsgrad: Bool = false
    ) {
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
    }

    /// Options with torch's `AdamW` defaults (weight decay 1e-2).
    public static func adamWDefaults(
        lr: Double = 1e-3,
        beta1: Double = 0.9,
        beta2: Double = 0.999,
        eps: Double = 1e-8,
        weightDecay: Double = AdamOptions.adamWDefaultWeightDecay,
        amsgrad: Bool = false
    ) -> AdamOptions {
        AdamOptions(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad)
    }
}

/// `torch.optim.RMSprop` hyper-parameters (defaults as in torch).
public struct RMSpropOptions: Sendable, Equatable {
    /// Learning rate (replaced by the schedule's LR at every step).
    public var lr: Double
    /// Smoothing constant of the squared-gradient average.
    public var alpha: Double
    /// Term added to the denominator.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Momentum factor; the buffer starts at zero and is used when `momentum > 0`.
    public var momentum: Double
    /// Normalise by the estimated variance (subtracting the squared mean gradient).
    public var centered: Bool

    /// RMSprop options; every argument defaults to torch's default.
    public init(
        lr: Double = 1e-2,
        alpha: Double = 0.99,
        eps: Double = 1e-8,
        weightDecay: Double = 0,
        momentum: Double = 0,
        centered: Bool = false
    ) {
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }
}

/// Which optimizer to train with, and its hyper-parameters.
public enum OptimizerConfig: Sendable, Equatable {
    /// `torch.optim.SGD`.
    case sgd(SGDOptions)
    /// `torch.optim.Adam` (L2 weight decay).
    case adam(AdamOptions)
    /// `torch.optim.AdamW` (decoupled weight decay).
    case adamW(AdamOptions)
    /// `torch.optim.RMSprop`.
    case rmsprop(RMSpropOptions)

    /// The optimizer's own learning rate (torch's `lr` argument).
    public var lr: Double {
        switch self {
        case .sgd(let o): o.lr
        case .adam(let o), .adamW(let o): o.lr
        case .rmsprop(let o): o.lr
        }
    }

    /// The message torch's constructor raises `ValueError` with for these options, or nil when
    /// torch accepts them.
    public var validationError: String? {
        switch self {
        case .sgd(let o):
            if o.lr < 0 { return "Invalid learning rate: \(o.lr)" }
            if o.momentum < 0 { return "Invalid momentum value: \(o.momentum)" }
            if o.weightDecay < 0 { return "Invalid weight_decay value: \(o.weightDecay)" }
            if o.nesterov && (o.momentum <= 0 || o.dampening != 0) {
                return "Nesterov momentum requires a momentum and zero dampening"
            }
        case .adam(let o), .adamW(let o):
            if !(0.0 <= o.lr) { return "Invalid learning rate: \(o.lr)" }
            if !(0.0 <= o.eps) { return "Invalid epsilon value: \(o.eps)" }
            if !(0.0 <= o.beta1 && o.beta1 < 1.0) { return "Invalid beta parameter at index 0: \(o.beta1)" }
            if !(0.0 <= o.beta2 && o.beta2 < 1.0) { return "Invalid beta parameter at index 1: \(o.beta2)" }
            if !(0.0 <= o.weightDecay) { return "Invalid weight_decay value: \(o.weightDecay)" }
        case .rmsprop(let o):
            if !(0.0 <= o.lr) { return "Invalid learning rate: \(o.lr)" }
            if !(0.0 <= o.eps) { return "Invalid epsilon value: \(o.eps)" }
            if !(0.0 <= o.momentum) { return "Invalid momentum value: \(o.momentum)" }
            if !(0.0 <= o.weightDecay) { return "Invalid weight_decay value: \(o.weightDecay)" }
            if !(0.0 <= o.alpha) { return "Invalid alpha value: \(o.alpha)" }
        }
        return nil
    }
}

/// An optimizer with its per-parameter state for one network, following torch's single-tensor
/// (`foreach=False`, the CPU default) update rules operation by operation.
///
/// Parameters are visited layer by layer, weight then bias, as `model.parameters()` lists them for
/// a stack of `nn.Linear`; every parameter is in one param group and gets a gradient at every step.
public struct Optimizer: Sendable {
    /// The optimizer and its hyper-parameters.
    public let config: OptimizerConfig
    /// Steps taken so far (torch's `state["step"]`).
    public private(set) var stepCount = 0
    /// Whether the momentum buffers exist. SGD creates them (as a copy of the gradient) at the
    /// first step taken with a non-zero momentum; RMSprop creates them (as zeros) at the first step
    /// taken with a positive momentum.
    public private(set) var hasMomentumBuffers = false
    /// Per-tensor state, in parameter order. SGD: `first` = momentum buffer. Adam/AdamW: `first` =
    /// `exp_avg`, `second` = `exp_avg_sq`, `third` = `max_exp_avg_sq`. RMSprop: `first` =
    /// `square_avg`, `second` = `grad_avg`, `third` = `momentum_buffer`. Unused slots are empty.
    private var state: [TensorState]
    /// Shapes the optimizer was built for (weight count, bias count or nil per layer).
    private let shapes: [(weights: Int, biases: Int?)]
    /// Room for one tensor's weight-decayed gradient.
    private var scratch: [Double]

    private struct TensorState: Sendable {
        /// Elements in the parameter tensor.
        var count: Int
        var first: [Double] = []
        var second: [Double] = []
        var third: [Double] = []
    }

    /// An optimizer with fresh state for `network`'s parameters.
    public init(_ config: OptimizerConfig, for network: Network) {
        self.config = config
        shapes = network.layers.map { ($0.weight.count, $0.bias?.count) }
        var state: [TensorState] = []
        for shape in shapes {
            for count in [shape.weights, shape.biases].compactMap({ $0 }) {
                var tensor = TensorState(count: count)
                let zeros = [Double](repeating: 0, count: count)
                switch config {
                case .sgd:
                    break
                case .adam(let o), .adamW(let o):
                    tensor.first = zeros
                    tensor.second = zeros
                    if o.amsgrad { tensor.third = zeros }
                case .rmsprop(let o):
                    tensor.first = zeros
                    if o.centered { tensor.second = zeros }
                }
                state.append(tensor)
            }
        }
        self.state = state
        scratch = [Double](repeating: 0, count: shapes.map { max($0.weights, $0.biases ?? 0) }.max() ?? 0)
    }

    /// `optimizer.step()` with the parameter group's LR set to `lr`. `gradients` must be laid out
    /// like `network.layers` (as `lossAndGradients` returns them) and the network shaped as at `init`.
    ///
    /// `momentum`, when given, replaces the configured momentum for this step, as `CyclicLR` and
    /// `OneCycleLR` with `cycle_momentum` overwrite `group["momentum"]` (SGD, RMSprop) or
    /// `group["betas"][0]` (Adam, AdamW). An RMSprop built without momentum that is later given a
    /// positive one starts its buffers at zero then (torch raises a `KeyError` instead).
    public mutating func step(_ network: inout Network, gradients: [Layer], lr: Double, momentum: Double? = nil) {
        precondition(
            network.layers.count == shapes.count && gradients.count == shapes.count,
            "Optimizer built for \(shapes.count) layers"
        )
        stepCount += 1
        var options = config
        if let momentum {
            switch options {
            case .sgd(var o):
                o.momentum = momentum
                options = .sgd(o)
            case .adam(var o):
                o.beta1 = momentum
                options = .adam(o)
            case .adamW(var o):
                o.beta1 = momentum
                options = .adamW(o)
            case .rmsprop(var o):
                o.momentum = momentum
                options = .rmsprop(o)
            }
        }
        var newBuffers = false
        switch options {
        case .sgd(let o) where o.momentum != 0 && !hasMomentumBuffers:
            newBuffers = true
            for k in state.indices { state[k].first = [Double](repeating: 0, count: state[k].count) }
        case .rmsprop(let o) where o.momentum > 0 && !hasMomentumBuffers:
            newBuffers = true
            for k in state.indices { state[k].third = [Double](repeating: 0, count: state[k].count) }
        default:
            break
        }
        if newBuffers { hasMomentumBuffers = true }
        let rule = UpdateRule(options, lr: lr, step: stepCount, newMomentumBuffers: newBuffers)
        var tensor = 0
        for index in 0..<shapes.count {
            let shape = shapes[index]
            precondition(
                network.layers[index].weight.count == shape.weights
                    && gradients[index].weight.count == shape.weights
                    && network.layers[index].bias?.count == shape.biases
                    && gradients[index].bias?.count == shape.biases,
                "Layer \(index) does not have the shape the optimizer was built for"
            )
            rule.apply(
                param: &network.layers[index].weight,
                grad: gradients[index].weight,
                state: &state[tensor],
                scratch: &scratch
            )
            tensor += 1
            if shape.biases != nil {
                rule.apply(
                    param: &network.layers[index].bias!,
                    grad: gradients[index].bias!,
                    state: &state[tensor],
                    scratch: &scratch
                )
                tensor += 1
            }
        }
    }

    /// `step` at the configured learning rate and momentum.
    public mutating func step(_ network: inout Network, gradients: [Layer]) {
        step(&network, gradients: gradients, lr: config.lr)
    }

    /// Scalars of one step, computed once as torch computes them in Python floats.
    private struct UpdateRule {
        enum Kind {
            case sgd(SGDOptions, newBuffer: Bool)
            case adam(AdamOptions, decoupled: Bool, stepSize: Double, biasCorrection2Sqrt: Double)
            case rmsprop(RMSpropOptions)
        }

        let kind: Kind
        let lr: Double

        init(_ config: OptimizerConfig, lr: Double, step: Int, newMomentumBuffers: Bool) {
            self.lr = lr
            switch config {
            case .sgd(let o):
                kind = .sgd(o, newBuffer: newMomentumBuffers)
            case .adam(let o), .adamW(let o):
                let decoupled: Bool
                if case .adamW = config { decoupled = true } else { decoupled = false }
                let t = Double(step)
                let biasCorrection1 = 1 - pow(o.beta1, t)
                let biasCorrection2 = 1 - pow(o.beta2, t)
                kind = .adam(
                    o,
                    decoupled: decoupled,
                    stepSize: lr / biasCorrection1,
                    biasCorrection2Sqrt: pow(biasCorrection2, 0.5)
                )
            case .rmsprop(let o):
                kind = .rmsprop(o)
            }
        }

        func apply(param: inout [Double], grad: [Double], state: inout TensorState, scratch: inout [Double]) {
            let n = param.count
            guard n > 0 else { return }
            param.withUnsafeMutableBufferPointer { pBuf in
                grad.withUnsafeBufferPointer { gBuf in
                    scratch.withUnsafeMutableBufferPointer { sBuf in
                        state.first.withUnsafeMutableBufferPointer { aBuf in
                            state.second.withUnsafeMutableBufferPointer { bBuf in
                                state.third.withUnsafeMutableBufferPointer { cBuf in
                                    let p = pBuf.baseAddress!
                                    let g = gBuf.baseAddress!
                                    let scratch = sBuf.baseAddress!
                                    switch kind {
                                    case .sgd(let o, let newBuffer):
                                        sgd(
                                            p,
                                            g,
                                            n,
                                            o,
                                            newBuffer: newBuffer,
                                            scratch: scratch,
                                            buffer: o.momentum != 0 ? aBuf.baseAddress! : nil
                                        )
                                    case .adam(let o, let decoupled, let stepSize, let bc2Sqrt):
                                        adam(
                                            p,
                                            g,
                                            n,
                                            o,
                                            decoupled: decoupled,
                                            stepSize: stepSize,
                                            bc2Sqrt: bc2Sqrt,
                                            scratch: scratch,
                                            expAvg: aBuf.baseAddress!,
                                            expAvgSq: bBuf.baseAddress!,
                                            maxExpAvgSq: o.amsgrad ? cBuf.baseAddress! : nil
                                        )
                                    case .rmsprop(let o):
                                        rmsprop(
                                            p,
                                            g,
                                            n,
                                            o,
                                            scratch: scratch,
                                            squareAvg: aBuf.baseAddress!,
                                            gradAvg: o.centered ? bBuf.baseAddress! : nil,
                                            buffer: o.momentum > 0 ? cBuf.baseAddress! : nil
                                        )
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        // The update rules below run as a few elementwise passes over each tensor. Every element
        // goes through exactly torch's operations in torch's order; splitting into passes only
        // keeps loop-invariant branches out of the loops.

        /// `_single_tensor_sgd`: `grad.add(param, alpha=wd)`; with a non-zero momentum a new buffer is
        /// a copy of the gradient, an existing one becomes `buf.mul_(momentum).add_(grad, alpha=1-dampening)`; nesterov uses
        /// `grad.add(buf, alpha=momentum)`, otherwise the buffer; `param.add_(grad, alpha=-lr)`.
        private func sgd(
            _ p: UnsafeMutablePointer<Double>,
            _ g: UnsafePointer<Double>,
            _ n: Int,
            _ o: SGDOptions,
            newBuffer: Bool,
            scratch: UnsafeMutablePointer<Double>,
            buffer: UnsafeMutablePointer<Double>?
        ) {
            let d = weightDecayed(g, p, n, o.weightDecay, scratch: scratch)
            let momentum = o.momentum
            let keep = 1 - o.dampening
            let negLR = -lr
            guard let buffer else {
                for k in 0..<n { p[k] = p[k] + negLR * d[k] }
                return
            }
            if newBuffer {
                buffer.update(from: d, count: n)
            } else {
                for k in 0..<n { buffer[k] = buffer[k] * momentum + keep * d[k] }
            }
            if o.nesterov {
                for k in 0..<n { p[k] = p[k] + negLR * (d[k] + momentum * buffer[k]) }
            } else {
                for k in 0..<n { p[k] = p[k] + negLR * buffer[k] }
            }
        }

        /// `_single_tensor_adam` (non-capturable branch): decay (decoupled `param.mul_(1 - lr*wd)` or
        /// `grad.add(param, alpha=wd)`), `exp_avg.lerp_(grad, 1-beta1)`,
        /// `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2)`, for AMSGrad
        /// `max_exp_avg_sq = maximum(max_exp_avg_sq, exp_avg_sq)` used in its place,
        /// `denom = (sqrt(v) / bias_correction2_sqrt).add_(eps)`,
        /// `param.addcdiv_(exp_avg, denom, value=-step_size)`.
        private func adam(
            _ p: UnsafeMutablePointer<Double>,
            _ g: UnsafePointer<Double>,
            _ n: Int,
            _ o: AdamOptions,
            decoupled: Bool,
            stepSize: Double,
            bc2Sqrt: Double,
            scratch: UnsafeMutablePointer<Double>,
            expAvg m: UnsafeMutablePointer<Double>,
            expAvgSq v: UnsafeMutablePointer<Double>,
            maxExpAvgSq vMax: UnsafeMutablePointer<Double>?
        ) {
            let d: UnsafePointer<Double>
            if decoupled {
                if o.weightDecay != 0 {
                    let decay = 1 - lr * o.weightDecay
                    for k in 0..<n { p[k] = p[k] * decay }
                }
                d = g
            } else {
                d = weightDecayed(g, p, n, o.weightDecay, scratch: scratch)
            }
            lerpTowards(m, d, n, weight: 1 - o.beta1)
            let beta2 = o.beta2
            let weight2 = 1 - o.beta2
            for k in 0..<n { v[k] = v[k] * beta2 + weight2 * d[k] * d[k] }
            var second = UnsafePointer(v)
            if let vMax {
                for k in 0..<n { vMax[k] = maximum(vMax[k], v[k]) }
                second = UnsafePointer(vMax)
            }
            let eps = o.eps
            let negStepSize = -stepSize
            // Two lanes at a time: the square roots and divisions dominate and the compiler leaves
            // them scalar. Each lane computes exactly the scalar expression.
            var k = 0
            while k + 2 <= n {
                let denom = load2(second + k).squareRoot() / bc2Sqrt + eps
                store2(load2(p + k) + negStepSize * load2(m + k) / denom, p + k)
                k += 2
            }
            while k < n {
                let denom = second[k].squareRoot() / bc2Sqrt + eps
                p[k] = p[k] + negStepSize * m[k] / denom
                k += 1
            }
        }

        /// `_single_tensor_rmsprop`: `grad.add(param, alpha=wd)`,
        /// `square_avg.mul_(alpha).addcmul_(grad, grad, value=1-alpha)`; centered:
        /// `grad_avg.lerp_(grad, 1-alpha)`, `avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()`,
        /// otherwise `avg = square_avg.sqrt()`; `avg.add_(eps)`; with momentum
        /// `buf.mul_(momentum).addcdiv_(grad, avg)`, `param.add_(buf, alpha=-lr)`, otherwise
        /// `param.addcdiv_(grad, avg, value=-lr)`.
        private func rmsprop(
            _ p: UnsafeMutablePointer<Double>,
            _ g: UnsafePointer<Double>,
            _ n: Int,
            _ o: RMSpropOptions,
            scratch: UnsafeMutablePointer<Double>,
            squareAvg s: UnsafeMutablePointer<Double>,
            gradAvg ga: UnsafeMutablePointer<Double>?,
            buffer: UnsafeMutablePointer<Double>?
        ) {
            let d = weightDecayed(g, p, n, o.weightDecay, scratch: scratch)
            let alpha = o.alpha
            let weight = 1 - o.alpha
            for k in 0..<n { s[k] = s[k] * alpha + weight * d[k] * d[k] }
            let eps = o.eps
            let negLR = -lr
            if let ga {
                lerpTowards(ga, d, n, weight: weight)
            }
            switch (ga, buffer) {
            case (let ga?, let buffer?):
                let momentum = o.momentum
                for k in 0..<n {
                    let avg = (s[k] + -1.0 * ga[k] * ga[k]).squareRoot() + eps
                    buffer[k] = buffer[k] * momentum + 1.0 * d[k] / avg
                    p[k] = p[k] + negLR * buffer[k]
                }
            case (let ga?, nil):
                for k in 0..<n {
                    let avg = (s[k] + -1.0 * ga[k] * ga[k]).squareRoot() + eps
                    p[k] = p[k] + negLR * d[k] / avg
                }
            case (nil, let buffer?):
                let momentum = o.momentum
                for k in 0..<n {
                    let avg = s[k].squareRoot() + eps
                    buffer[k] = buffer[k] * momentum + 1.0 * d[k] / avg
                    p[k] = p[k] + negLR * buffer[k]
                }
            case (nil, nil):
                for k in 0..<n {
                    let avg = s[k].squareRoot() + eps
                    p[k] = p[k] + negLR * d[k] / avg
                }
            }
        }

        /// `grad.add(param, alpha=weight_decay)` written into `scratch`, or `grad` itself when the
        /// decay is zero.
        @inline(__always)
        private func weightDecayed(
            _ g: UnsafePointer<Double>,
            _ p: UnsafePointer<Double>,
            _ n: Int,
            _ weightDecay: Double,
            scratch: UnsafeMutablePointer<Double>
        ) -> UnsafePointer<Double> {
            guard weightDecay != 0 else { return g }
            for k in 0..<n { scratch[k] = g[k] + weightDecay * p[k] }
            return UnsafePointer(scratch)
        }

        /// `a.lerp_(end, weight)` elementwise, with the branch of `lerp` chosen once.
        @inline(__always)
        private func lerpTowards(
            _ a: UnsafeMutablePointer<Double>,
            _ end: UnsafePointer<Double>,
            _ n: Int,
            weight: Double
        ) {
            if abs(weight) < 0.5 {
                for k in 0..<n { a[k] = a[k] + weight * (end[k] - a[k]) }
            } else {
                let complement = 1 - weight
                for k in 0..<n { a[k] = end[k] - (end[k] - a[k]) * complement }
            }
        }
    }
}

/// `torch.lerp` on the CPU: `self + w * (end - self)` when `|w| < 0.5`, else
/// `end - (end - self) * (1 - w)`.
@inline(__always)
func lerp(_ start: Double, _ end: Double, _ weight: Double) -> Double {
    abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
}

/// Two consecutive doubles as a vector.
@inline(__always)
private func load2(_ pointer: UnsafePointer<Double>) -> SIMD2<Double> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD2<Double>.self)
}

@inline(__always)
private func load2(_ pointer: UnsafeMutablePointer<Double>) -> SIMD2<Double> {
    load2(UnsafePointer(pointer))
}

/// Stores two consecutive doubles.
@inline(__always)
private func store2(_ value: SIMD2<Double>, _ pointer: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD2<Double>.self)
}

/// `torch.maximum`: the larger value, NaN if either is NaN.
@inline(__always)
func maximum(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    return a > b ? a : b
}
