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
    @Test("XLA.exp and XLA.log equal XLA's own results bit for bit", arguments: ["exp", "log"])
    func matchesXLA(_ name: String) throws {
        let fixture = try MathFixture(name)
        #expect(fixture.count == 1_000_000 && fixture.blockHashes.count == fixture.count / fixture.block)
        let inputs = fixture.inputs()
        let outputs = name == "exp" ? inputs.map { XLA.exp($0) } : inputs.map { XLA.log($0) }
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
}
