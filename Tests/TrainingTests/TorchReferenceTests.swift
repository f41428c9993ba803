import Testing

@testable import Training

/// Three optimizer steps on a fixed 2→3→1 tanh MLP with MSE, against torch 2.15 (`float64`,
/// single-tensor CPU optimizers): the loss before each step and every parameter afterwards.
@Suite struct TorchReferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let config: OptimizerConfig
        let losses: [Double]
        let parameters: [Double]
        var testDescription: String { name }
    }

    static let network = Network(
        layers: [
            Layer(weight: [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], bias: [0.1, -0.2, 0.05]),
            Layer(weight: [[0.7, -0.4, 0.3]], bias: [0.02]),
        ],
        activation: .tanh
    )
    static let batch = Batch(
        x: Matrix([[1.0, 2.0], [-0.5, 0.3], [0.7, -1.2], [0.0, 0.4]]),
        target: .values(Matrix([[0.5], [-0.2], [0.1], [0.3]]))
    )

    static let cases: [Case] = [
        Case(
            name: "SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)",
            config: .sgd(SGDOptions(lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)),
            losses: [0.33754754078582344, 0.12991397375113975, 0.05183941961988152],
            parameters: [
                0.6317911836007466, 0.10361998628564754, 0.18851124712785472, 0.7356994762484307,
                -0.5465740739105326, 0.2806553675981756, 0.17044238544839124, -0.18780892322641995,
                0.07199646451604741, 0.6331810471474385, -0.021960891324331017, 0.28784192020661953,
                0.05861158765346435,
            ]
        ),
        Case(
            name: "SGD(lr=0.1, momentum=0.8, dampening=0.25)",
            config: .sgd(SGDOptions(lr: 0.1, momentum: 0.8, dampening: 0.25)),
            losses: [0.33754754078582344, 0.20777745030633527, 0.10292360038275065],
            parameters: [
                0.6026770413991913, -0.0005906627342384919, 0.1935531818538239, 0.7558185373316137,
                -0.5650351220792508, 0.2309636739146138, 0.18002504816012907, -0.19696971527357354,
                0.07496727464680009, 0.6511828192801058, -0.13800266310100867, 0.28877465650291817,
                0.08806172627257594,
            ]
        ),
        Case(
            name: "Adam(lr=0.05, weight_decay=0.1)",
            config: .adam(AdamOptions(lr: 0.05, weightDecay: 0.1)),
            losses: [0.33754754078582344, 0.21245285187379637, 0.14383896117812284],
            parameters: [
                0.6365036635221707, -0.15603688334332125, 0.05426290923632973, 0.6516054764034014,
                -0.45405114151574405, 0.2439814069387298, 0.2222139359763437, -0.0588938638442787,
                0.1570072041246247, 0.5536310081376452, -0.25282629091705255, 0.22530861177221262,
                0.11589155819446194,
            ]
        ),
        Case(
            name: "Adam(lr=0.05, amsgrad=True)",
            config: .adam(AdamOptions(lr: 0.05, amsgrad: true)),
            losses: [0.33754754078582344, 0.21559595443120996, 0.1475773652633138],
            parameters: [
                0.6425529257146242, -0.1565539377237136, 0.05041084130969896, 0.6533632881158165,
                -0.45831439577334815, 0.24513646656723842, 0.21970990534383106, -0.18256928831857766,
                0.159129103340802, 0.5559141312668002, -0.25262587408015474, 0.26305381303913494,
                0.10379711243496671,
            ]
        ),
        Case(
            name: "AdamW(lr=0.05)",
            config: .adamW(.adamWDefaults(lr: 0.05)),
            losses: [0.33754754078582344, 0.21538146477982018, 0.1472951491244779],
            parameters: [
                0.6417156091497366, -0.15619390005816192, 0.05018768549818023, 0.6522387994713238,
                -0.4574950457981546, 0.24489297916592398, 0.21949047581983408, -0.18225355881653216,
                0.15902927804663658, 0.554982394117169, -0.2521126761059342, 0.2625557215798942,
                0.10378982984604541,
            ]
        ),
        Case(
            name: "RMSprop(lr=0.01, centered=True, momentum=0.9, weight_decay=0.05)",
            config: .rmsprop(RMSpropOptions(lr: 0.01, weightDecay: 0.05, momentum: 0.9, centered: true)),
            losses: [0.33754754078582344, 0.14588508076662607, 0.06867353381214938],
            parameters: [
                0.8053866982333269, 0.04583463872305246, -0.13555282702833912, 0.39779038534641586,
                -0.24838125484116141, 0.4449281178046971, 0.2990749642152192, 0.3173338078567255,
                0.20545250406978297, 0.28804428930294007, -0.020150436501323355, 0.17718924862388186,
                0.11304182724653603,
            ]
        ),
        Case(
            name: "RMSprop(lr=0.01)",
            config: .rmsprop(RMSpropOptions(lr: 0.01)),
            losses: [0.33754754078582344, 0.1579082884135636, 0.09406539696917568],
            parameters: [
                0.6552215483468915, -0.14072775485942202, -0.03804172414292547, 0.6181548559937671,
                -0.44083296033665814, 0.27413478139559533, 0.17262064127021617, -0.17188792033923697,
                0.11362528695388112, 0.5436217561955854, -0.2114331791183352, 0.34254995912362096,
                0.03606239655866797,
            ]
        ),
    ]

    @Test(arguments: cases)
    func threeStepsMatchTorch(_ reference: Case) {
        var network = Self.network
        var optimizer = Optimizer(reference.config, for: network)
        for (step, expectedLoss) in reference.losses.enumerated() {
            let (loss, gradients) = lossAndGradients(network, Self.batch, .mse)
            #expect(
                relativeDifference(loss, expectedLoss) <= 1e-12,
                "\(reference.name) step \(step) loss: \(loss) vs torch \(expectedLoss)"
            )
            optimizer.step(&network, gradients: gradients, lr: reference.config.lr)
        }
        let parameters = flatParameters(network)
        #expect(parameters.count == reference.parameters.count)
        let names = [
            "0.weight[0][0]", "0.weight[0][1]", "0.weight[1][0]", "0.weight[1][1]", "0.weight[2][0]",
            "0.weight[2][1]", "0.bias[0]", "0.bias[1]", "0.bias[2]", "2.weight[0][0]", "2.weight[0][1]",
            "2.weight[0][2]", "2.bias[0]",
        ]
        for (k, (mine, torch)) in zip(parameters, reference.parameters).enumerated() {
            #expect(
                abs(mine - torch) <= 1e-12 * max(abs(torch), 1),
                "\(reference.name) parameter \(names[k]): \(mine) vs torch \(torch)"
            )
        }
    }
}
