import Float32Math
import Foundation
import JSON
import Testing

/// One function's fixture: how its inputs are generated and the hashes of XLA's outputs.
struct MathFixture {
    let seed: UInt64
    let ranges: [(Double, Double)]
    let positiveBits: Bool
    let count: Int
    let block: Int
    let blockHashes: [UInt64]
    /// The bit patterns of the first outputs (NaN as 0x7FC00000).
    let samples: [UInt32]

    init(copying other: MathFixture, seed: UInt64, ranges: [(Double, Double)], positiveBits: Bool) {
        self.seed = seed
        self.ranges = ranges
        self.positiveBits = positiveBits
        count = other.count
        block = other.block
        blockHashes = []
        samples = []
    }

    init(_ name: String) throws {
        let url = try #require(
            Bundle.module.url(forResource: "xla_\(name)", withExtension: "json", subdirectory: "Fixtures"),
            "fixture Fixtures/xla_\(name).json is missing"
        )
        let json = try JSONParser.parse([UInt8](Data(contentsOf: url)))
        seed = try #require(json["seed"]?.stringValue.flatMap { UInt64($0, radix: 16) })
        ranges = try #require(json["ranges"]?.arrayValue).map { pair in
            (pair[0]?.doubleValue ?? .nan, pair[1]?.doubleValue ?? .nan)
        }
        positiveBits = json["positive_bits"]?.boolValue ?? false
        count = try #require(json["count"]?.intValue)
        block = try #require(json["block"]?.intValue)
        blockHashes = try #require(json["block_hashes"]?.arrayValue).compactMap {
            $0.stringValue.flatMap { UInt64($0, radix: 16) }
        }
        samples = try #require(json["samples"]?.arrayValue).compactMap {
            $0.stringValue.flatMap { UInt32($0, radix: 16) }
        }
    }

    /// pow's exponents: a second stream (seed + 1) over [-4, 4], raw patterns folded into [0, 40).
    func exponents() -> [Float] {
        let stream = MathFixture(
            copying: self,
            seed: seed &+ 1,
            ranges: [(-4, 4), (-4, 4), (-4, 4)],
            positiveBits: false
        )
        return stream.inputs().enumerated().map { i, e in
            guard i % 4 == 0 else { return e }
            let finite = e.isFinite ? e : 0
            return abs(finite).truncatingRemainder(dividingBy: 40)
        }
    }

    /// The inputs, generated exactly as `scripts/generate_xla_math_fixtures.py` generates them.
    func inputs() -> [Float] {
        var state = seed
        return (0..<count).map { i in
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            let word = state &* 0x2545_F491_4F6C_DD1D
            let kind = i % 4
            if kind == 0 {
                let bits = UInt32(truncatingIfNeeded: word >> 32)
                return Float(bitPattern: positiveBits ? bits & 0x7FFF_FFFF : bits)
            }
            let (lo, hi) = ranges[kind - 1]
            let u = Double(word >> 40) / Double(1 << 24)
            return Float(lo + u * (hi - lo))
        }
    }
}

/// FNV-1a over the little-endian bytes of the outputs' bit patterns, every NaN as 0x7FC00000.
func fnv1a(_ values: ArraySlice<Float>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for value in values {
        var bits = value.isNaN ? 0x7FC0_0000 : value.bitPattern
        for _ in 0..<4 {
            hash ^= UInt64(bits & 0xFF)
            hash = hash &* 0x100_0000_01B3
            bits >>= 8
        }
    }
    return hash
}

@Suite("XLA's float32 elementary functions, against jax.jit on 10⁶ inputs each")
struct XLAFunctionTests {
    @Test("XLA.exp, log, cos and pow equal XLA's own results bit for bit", arguments: ["exp", "log", "cos", "pow"])
    func matchesXLA(_ name: String) throws {
        let fixture = try MathFixture(name)
        #expect(fixture.count == 1_000_000 && fixture.blockHashes.count == fixture.count / fixture.block)
        let inputs = fixture.inputs()
        let outputs: [Float]
        switch name {
        case "exp": outputs = inputs.map { XLA.exp($0) }
        case "log": outputs = inputs.map { XLA.log($0) }
        case "cos": outputs = inputs.map { XLA.cos($0) }
        default:
            // Subnormal bases are made normal, as the generator makes them.
            let bases = inputs.map { $0.isSubnormal || $0 == 0 ? Float(bitPattern: $0.bitPattern | 0x0080_0000) : $0 }
            let exponents = fixture.exponents()
            outputs = zip(bases, exponents).map { XLA.pow($0, $1) }
        }
        for (i, expected) in fixture.samples.enumerated() {
            let actual = outputs[i]
            let same = expected == (actual.isNaN ? 0x7FC0_0000 : actual.bitPattern)
            let input = inputs[i]
            let xla = Float(bitPattern: expected)
            #expect(
                same,
                "\(name)(\(input), bits \(String(input.bitPattern, radix: 16))): XLA \(xla), lrsched \(actual)"
            )
            if !same { return }
        }
        var failures = 0
        for (b, expected) in fixture.blockHashes.enumerated() {
            let range = b * fixture.block..<(b + 1) * fixture.block
            let actual = fnv1a(outputs[range])
            if actual != expected {
                failures += 1
                Issue.record(
                    "\(name): inputs \(range.lowerBound)..<\(range.upperBound) differ from XLA's (hash \(String(actual, radix: 16)), XLA's \(String(expected, radix: 16)))"
                )
                if failures == 5 { return }
            }
        }
    }

    @Test("XLA.convert is the nearest float of an int32, on both sides of 2^23 and for negatives")
    func convertRoundsToNearest() {
        var samples: [Int32] = [0, 1, 2, 1000, -1, -1000, .max, .min, .min + 1]
        for power in [22, 23, 24, 25, 30] {
            for offset in Int32(-2)...2 { samples += [(1 << power) + offset, -(1 << power) + offset] }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 { samples.append(Int32.random(in: 0..<(1 << 23), using: &generator)) }
        for n in samples {
            let converted = XLA.convert(n)
            #expect(
                converted.bitPattern == Float(n).bitPattern,
                "convert(\(n)): got \(converted), Swift's conversion gives \(Float(n))"
            )
        }
    }
}
