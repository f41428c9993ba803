import Foundation
import Testing

@testable import Training

/// Single optimizer steps on a 2→1 linear layer, against the update rules written out by hand.
@Suite struct OptimizerTests {
    /// Parameters in torch order: weight[0], weight[1], bias[0].
    static let initial: [Double] = [0.5, -1.0, 0.25]
    static let grad1: [Double] = [0.2, -0.4, 1.0]
    static let grad2: [Double] = [-0.1, 0.3, 0.5]

    static func network(_ p: [Double]) -> Network {
        Network(layers: [Layer(inFeatures: 2, outFeatures: 1, weight: [p[0], p[1]], bias: [p[2]])], activation: .tanh)
    }

    /// The parameters after one step per gradient, each at `lr`.
    static func run(_ config: OptimizerConfig, _ grads: [[Double]], lr: Double) -> [Double] {
        var net = network(initial)
        var optimizer = Optimizer(config, for: net)
        for g in grads {
            let gradient = Layer(inFeatures: 2, outFeatures: 1, weight: [g[0], g[1]], bias: [g[2]])
            optimizer.step(&net, gradients: [gradient], lr: lr)
        }
        #expect(optimizer.stepCount == grads.count)
        return flatParameters(net)
    }

    static func expectClose(_ actual: [Double], _ expected: [Double], _ label: String, tolerance: Double = 1e-15) {
        #expect(actual.count == expected.count)
        for (k, (a, e)) in zip(actual, expected).enumerated() {
            #expect(relativeDifference(a, e) <= tolerance, "\(label) parameter \(k): \(a) vs expected \(e)")
        }
    }

    // MARK: SGD

    @Test func sgdPlain() {
        let lr = 0.1
        let expected = (0..<3).map { Self.initial[$0] - lr * Self.grad1[$0] }
        Self.expectClose(Self.run(.sgd(SGDOptions(lr: lr)), [Self.grad1], lr: lr), expected, "sgd")
    }

    @Test func sgdWeightDecayAppliesToBiasToo() {
        let lr = 0.1
        let wd = 0.3
        let expected = (0..<3).map { Self.initial[$0] - lr * (Self.grad1[$0] + wd * Self.initial[$0]) }
        Self.expectClose(Self.run(.sgd(SGDOptions(lr: lr, weightDecay: wd)), [Self.grad1], lr: lr), expected, "sgd wd")
    }

    @Test func sgdMomentumTwoSteps() {
        let lr = 0.1
        let m = 0.9
        let dampening = 0.25
        // First step: buffer = grad (no dampening). Second: buffer = m·buffer + (1 - dampening)·grad.
        var expected = Self.initial
        var buffer = Self.grad1
        for k in 0..<3 { expected[k] = expected[k] - lr * buffer[k] }
        for k in 0..<3 {
            buffer[k] = m * buffer[k] + (1 - dampening) * Self.grad2[k]
            expected[k] = expected[k] - lr * buffer[k]
        }
        let config = OptimizerConfig.sgd(SGDOptions(lr: lr, momentum: m, dampening: dampening))
        Self.expectClose(Self.run(config, [Self.grad1, Self.grad2], lr: lr), expected, "sgd momentum")
        // After one step momentum is plain SGD, whatever the dampening.
        Self.expectClose(
            Self.run(config, [Self.grad1], lr: lr),
            Self.run(.sgd(SGDOptions(lr: lr)), [Self.grad1], lr: lr),
            "sgd momentum first step"
        )
    }

    /// The parameters after one step per gradient, each with its own momentum override.
    static func runCycled(_ config: OptimizerConfig, _ grads: [[Double]], momenta: [Double?], lr: Double) -> [Double] {
        var net = network(initial)
        var optimizer = Optimizer(config, for: net)
        for (g, momentum) in zip(grads, momenta) {
            let gradient = Layer(inFeatures: 2, outFeatures: 1, weight: [g[0], g[1]], bias: [g[2]])
            optimizer.step(&net, gradients: [gradient], lr: lr, momentum: momentum)
        }
        return flatParameters(net)
    }

    @Test func sgdMomentumSetByASchedulerCreatesAndKeepsTheBuffer() {
        let lr = 0.1
        // Built without momentum; the scheduler sets 0.9, then 0 (buffer untouched), then 0.5.
        let grad3: [Double] = [0.7, 0.1, -0.2]
        var expected = Self.initial
        var buffer = Self.grad1
        for k in 0..<3 { expected[k] = expected[k] - lr * buffer[k] }
        for k in 0..<3 { expected[k] = expected[k] - lr * Self.grad2[k] }
        for k in 0..<3 {
            buffer[k] = 0.5 * buffer[k] + grad3[k]
            expected[k] = expected[k] - lr * buffer[k]
        }
        let result = Self.runCycled(
            .sgd(SGDOptions(lr: lr)),
            [Self.grad1, Self.grad2, grad3],
            momenta: [0.9, 0, 0.5],
            lr: lr
        )
        Self.expectClose(result, expected, "sgd cycled momentum")
    }

    @Test func adamMomentumOverrideIsBeta1() {
        let grads = [Self.grad1, Self.grad2]
        let overridden = Self.runCycled(.adam(AdamOptions(lr: 0.01)), grads, momenta: [0.8, 0.8], lr: 0.01)
        #expect(overridden == Self.run(.adam(AdamOptions(lr: 0.01, beta1: 0.8)), grads, lr: 0.01))
        let rms = Self.runCycled(.rmsprop(RMSpropOptions(lr: 0.01)), grads, momenta: [0.7, 0.7], lr: 0.01)
        #expect(rms == Self.run(.rmsprop(RMSpropOptions(lr: 0.01, momentum: 0.7)), grads, lr: 0.01))
    }

    @Test func sgdNesterov() {
        let lr = 0.05
        let m = 0.8
        var expected = Self.initial
        var buffer = Self.grad1
        for k in 0..<3 { expected[k] = expected[k] - lr * (Self.grad1[k] + m * buffer[k]) }
        for k in 0..<3 {
            buffer[k] = m * buffer[k] + Self.grad2[k]
            expected[k] = expected[k] - lr * (Self.grad2[k] + m * buffer[k])
        }
        let config = OptimizerConfig.sgd(SGDOptions(lr: lr, momentum: m, nesterov: true))
        Self.expectClose(Self.run(config, [Self.grad1, Self.grad2], lr: lr), expected, "nesterov")
    }

    @Test func stepLearningRateOverridesOptions() {
        let fromStep = Self.run(.sgd(SGDOptions(lr: 5.0)), [Self.grad1], lr: 0.1)
        let fromOptions = Self.run(.sgd(SGDOptions(lr: 0.1)), [Self.grad1], lr: 0.1)
        #expect(fromStep == fromOptions)
        var net = Self.network(Self.initial)
        var optimizer = Optimizer(.sgd(SGDOptions(lr: 0.1)), for: net)
        optimizer.step(&net, gradients: [Layer(inFeatures: 2, outFeatures: 1, weight: [0.2, -0.4], bias: [1.0])])
        #expect(flatParameters(net) == fromOptions)
    }

    // MARK: Adam / AdamW

    @Test func adamFirstStepIsAboutLearningRateTimesSign() {
        let lr = 0.01
        let result = Self.run(.adam(AdamOptions(lr: lr)), [Self.grad1], lr: lr)
        // m = 0.1 g, v = 0.001 g², step_size = lr / 0.1, denom = sqrt(v) / sqrt(0.001) + eps = |g| + eps.
        for k in 0..<3 {
            let g = Self.grad1[k]
            let m = 0 + (1 - 0.9) * (g - 0)
            let v = 0 * 0.999 + (1 - 0.999) * g * g
            let denom = v.squareRoot() / (1 - 0.999).squareRoot() + 1e-8
            let exact = Self.initial[k] + -(lr / (1 - 0.9)) * m / denom
            #expect(relativeDifference(result[k], exact) < 1e-15, "adam parameter \(k): \(result[k]) vs \(exact)")
            let signStep = Self.initial[k] - lr * (g > 0 ? 1 : -1)
            #expect(abs(result[k] - signStep) < lr * 1e-6, "adam parameter \(k): \(result[k]) vs ±lr step \(signStep)")
        }
    }

    /// Adam written out by hand: `grad` already includes any L2 term; `decay` multiplies the
    /// parameter first (AdamW).
    static func adamReference(_ options: AdamOptions, _ grads: [[Double]], lr: Double, decoupled: Bool) -> [Double] {
        var p = initial
        var m = [0.0, 0, 0]
        var v = [0.0, 0, 0]
        var vMax = [0.0, 0, 0]
        for (index, grad) in grads.enumerated() {
            let t = Double(index + 1)
            let bc1 = 1 - pow(options.beta1, t)
            let bc2 = 1 - pow(options.beta2, t)
            for k in 0..<3 {
                var g = grad[k]
                if decoupled { p[k] *= 1 - lr * options.weightDecay } else { g += options.weightDecay * p[k] }
                m[k] = m[k] + (1 - options.beta1) * (g - m[k])
                v[k] = v[k] * options.beta2 + (1 - options.beta2) * g * g
                vMax[k] = max(vMax[k], v[k])
                let second = options.amsgrad ? vMax[k] : v[k]
                let denom = second.squareRoot() / pow(bc2, 0.5) + options.eps
                p[k] = p[k] - (lr / bc1) * m[k] / denom
            }
        }
        return p
    }

    @Test(arguments: [
        AdamOptions(lr: 0.01),
        AdamOptions(lr: 0.01, weightDecay: 0.2),
        AdamOptions(lr: 0.02, beta1: 0.8, beta2: 0.95, eps: 1e-3),
        AdamOptions(lr: 0.01, amsgrad: true),
        AdamOptions(lr: 0.01, beta1: 0.3, weightDecay: 0.1, amsgrad: true),
    ])
    func adamTwoSteps(options: AdamOptions) {
        let grads = [Self.grad1, Self.grad2, [0, 0, 0]]
        let result = Self.run(.adam(options), grads, lr: options.lr)
        Self.expectClose(
            result,
            Self.adamReference(options, grads, lr: options.lr, decoupled: false),
            "adam \(options)",
            tolerance: 1e-14
        )
    }

    @Test func adamWDecaysParametersBeforeTheUpdate() {
        let options = AdamOptions.adamWDefaults(lr: 0.01)
        #expect(options.weightDecay == 1e-2 && AdamOptions().weightDecay == 0)
        let grads = [Self.grad1, Self.grad2]
        let adamW = Self.run(.adamW(options), grads, lr: 0.01)
        Self.expectClose(
            adamW,
            Self.adamReference(options, grads, lr: 0.01, decoupled: true),
            "adamW",
            tolerance: 1e-14
        )
        // With a zero gradient the step only decays: p · (1 - lr·wd), while m = v = 0 leaves it there.
        let decayOnly = Self.run(.adamW(AdamOptions(lr: 0.1, weightDecay: 0.5)), [[0, 0, 0]], lr: 0.1)
        Self.expectClose(decayOnly, Self.initial.map { $0 * (1 - 0.1 * 0.5) }, "adamW decay only")
        // Adam's L2 decay is different: it goes through the moments.
        let adam = Self.run(.adam(options), grads, lr: 0.01)
        #expect(adam != adamW)
    }

    @Test func amsgradKeepsTheRunningMaximum() {
        // A large gradient then zeros: v shrinks, max_exp_avg_sq keeps the first v.
        let grads = [Self.grad1, [0, 0, 0], [0, 0, 0]]
        let plain = Self.run(.adam(AdamOptions(lr: 0.01)), grads, lr: 0.01)
        let ams = Self.run(.adam(AdamOptions(lr: 0.01, amsgrad: true)), grads, lr: 0.01)
        for k in 0..<3 {
            // The larger denominator makes AMSGrad's later steps smaller.
            #expect(
                abs(ams[k] - Self.initial[k]) < abs(plain[k] - Self.initial[k]),
                "parameter \(k): \(ams[k]) vs \(plain[k])"
            )
        }
    }

    // MARK: RMSprop

    static func rmspropReference(_ o: RMSpropOptions, _ grads: [[Double]], lr: Double) -> [Double] {
        var p = initial
        var square = [0.0, 0, 0]
        var gradAvg = [0.0, 0, 0]
        var buffer = [0.0, 0, 0]
        for grad in grads {
            for k in 0..<3 {
                let g = grad[k] + o.weightDecay * p[k]
                square[k] = square[k] * o.alpha + (1 - o.alpha) * g * g
                var avg: Double
                if o.centered {
                    gradAvg[k] = lerp(gradAvg[k], g, 1 - o.alpha)
                    avg = (square[k] - gradAvg[k] * gradAvg[k]).squareRoot()
                } else {
                    avg = square[k].squareRoot()
                }
                avg += o.eps
                if o.momentum > 0 {
                    buffer[k] = buffer[k] * o.momentum + g / avg
                    p[k] = p[k] - lr * buffer[k]
                } else {
                    p[k] = p[k] - lr * g / avg
                }
            }
        }
        return p
    }

    @Test func rmspropFirstStep() {
        let lr = 0.01
        let result = Self.run(.rmsprop(RMSpropOptions(lr: lr)), [Self.grad1], lr: lr)
        // square_avg = 0.01 g², so the step is lr · g / (0.1 |g| + eps) ≈ 10 · lr · sign(g).
        for k in 0..<3 {
            let g = Self.grad1[k]
            let expected = Self.initial[k] - lr * g / ((0.01 * g * g).squareRoot() + 1e-8)
            #expect(
                relativeDifference(result[k], expected) < 1e-14,
                "rmsprop parameter \(k): \(result[k]) vs \(expected)"
            )
        }
    }

    @Test(arguments: [
        RMSpropOptions(lr: 0.01),
        RMSpropOptions(lr: 0.01, weightDecay: 0.3),
        RMSpropOptions(lr: 0.01, centered: true),
        RMSpropOptions(lr: 0.01, momentum: 0.9),
        RMSpropOptions(lr: 0.01, alpha: 0.3, eps: 1e-4, weightDecay: 0.1, momentum: 0.5, centered: true),
    ])
    func rmspropThreeSteps(options: RMSpropOptions) {
        let grads = [Self.grad1, Self.grad2, Self.grad1]
        Self.expectClose(
            Self.run(.rmsprop(options), grads, lr: options.lr),
            Self.rmspropReference(options, grads, lr: options.lr),
            "rmsprop \(options)",
            tolerance: 1e-13
        )
    }

    @Test func lerpUsesTorchsTwoBranches() {
        #expect(lerp(1, 3, 0.25) == 1.5)
        #expect(lerp(1, 3, 0.75) == 2.5)
        let start = 0.1
        let end = 0.7
        let weight = 0.7
        #expect(lerp(start, end, weight) == end - (end - start) * (1 - weight))
    }

    @Test func validationMessagesFollowTorch() {
        #expect(
            OptimizerConfig.sgd(SGDOptions(lr: 0.1, nesterov: true)).validationError
                == "Nesterov momentum requires a momentum and zero dampening"
        )
        #expect(
            OptimizerConfig.adam(AdamOptions(beta1: 1.0)).validationError == "Invalid beta parameter at index 0: 1.0"
        )
        #expect(OptimizerConfig.rmsprop(RMSpropOptions(alpha: -1)).validationError == "Invalid alpha value: -1.0")
        #expect(OptimizerConfig.adamW(.adamWDefaults()).validationError == nil)
        #expect(OptimizerConfig.sgd(SGDOptions(lr: 0.1, momentum: 0.9, nesterov: true)).validationError == nil)
    }

    @Test func layersWithoutBiasHaveNoBiasState() {
        var net = Network(
            layers: [Layer(weight: [[1, 2]], bias: nil), Layer(weight: [[3]], bias: [0.5])],
            activation: .relu
        )
        var optimizer = Optimizer(.adam(AdamOptions(lr: 0.1)), for: net)
        let gradients = [Layer(weight: [[1, -1]], bias: nil), Layer(weight: [[2]], bias: [-3])]
        optimizer.step(&net, gradients: gradients, lr: 0.1)
        #expect(net.layers[0].bias == nil)
        let expected: [Double] = [0.9, 2.1, 2.9, 0.6]
        Self.expectClose(flatParameters(net), expected, "adam without bias", tolerance: 1e-8)
    }
}
