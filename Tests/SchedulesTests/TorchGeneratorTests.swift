import Foundation
import JSON
import Testing

@testable import Schedules

/// One seed of `Fixtures/timm/generator.json`, written by `scripts/generate_generator_fixtures.py` from real
/// torch: the first `torch.randn(1, generator=g).item()` values of one generator and the first
/// `torch.rand(1, generator=g).item()` values of a fresh one with the same seed.
struct GeneratorCase: CustomStringConvertible {
    var seed: Int
    var randn: [Double]
    var rand: [Double]
    var description: String { "seed \(seed)" }
}

@Suite("torch CPU generator (torch.Generator().manual_seed), bit for bit")
struct TorchGeneratorTests {
    /// Loads `Fixtures/timm/generator.json`.
    static func loadCases() throws -> (torch: String, cases: [GeneratorCase]) {
        let url = try #require(
            Bundle.module.url(forResource: "generator", withExtension: "json", subdirectory: "Fixtures/timm"),
            "fixture Fixtures/timm/generator.json is missing"
        )
        let json = try JSONParser.parse([UInt8](Data(contentsOf: url)))
        let version = json["torch"]?.stringValue ?? "?"
        let cases = try #require(json["cases"]?.arrayValue, "generator.json has no cases")
        return (
            version,
            try cases.enumerated().map { index, c in
                let seed = try #require(c["seed"]?.intValue, "case \(index) has no integer seed")
                let randn = try #require(numbers(c["randn"]), "seed \(seed): no randn array")
                let rand = try #require(numbers(c["rand"]), "seed \(seed): no rand array")
                return GeneratorCase(seed: seed, randn: randn, rand: rand)
            }
        )
    }

    /// The elements of a JSON array as doubles (NaN for a non-number), or `nil` when it is not an array.
    static func numbers(_ value: JSONValue?) -> [Double]? {
        value?.arrayValue?.map { $0.doubleValue ?? .nan }
    }

    /// The bits of a double, printed in failure messages.
    static func hexBits(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16) }

    /// Compares `actual` with torch's `expected` bit for bit, naming the seed, the call and both values.
    static func compare(_ function: String, seed: Int, expected: [Double], actual: [Double]) {
        for (call, (e, a)) in zip(expected, actual).enumerated() where e.bitPattern != a.bitPattern {
            Issue.record(
                """
                seed \(seed), \(function) call \(call + 1): torch \(e) (\(hexBits(e))), \
                TorchGenerator \(a) (\(hexBits(a)))
                """
            )
        }
    }

    @Test("the fixture comes from torch 2.15 and covers the edge seeds")
    func fixture() throws {
        let (version, cases) = try Self.loadCases()
        #expect(version.hasPrefix("2.15"), "generator.json comes from torch \(version)")
        #expect(cases.count >= 250, "only \(cases.count) seeds in generator.json")
        let seeds = Set(cases.map(\.seed))
        for seed in [0, 1, 42, 43, 1 << 31, (1 << 32) + 5, Int.max, -1, Int.min] {
            #expect(seeds.contains(seed), "generator.json has no case for seed \(seed)")
        }
        for c in cases {
            #expect(c.randn.count == 4 && c.rand.count == 4, "seed \(c.seed): expected 4 randn and 4 rand values")
        }
    }

    @Test("successive randn() calls reproduce torch.randn(1, generator=g).item()")
    func randn() throws {
        for c in try Self.loadCases().cases {
            var generator = TorchGenerator(seed: c.seed)
            let actual = c.randn.indices.map { _ in generator.randn() }
            Self.compare("randn", seed: c.seed, expected: c.randn, actual: actual)
        }
    }

    @Test("successive rand() calls reproduce torch.rand(1, generator=g).item()")
    func rand() throws {
        for c in try Self.loadCases().cases {
            var generator = TorchGenerator(seed: c.seed)
            let actual = c.rand.indices.map { _ in generator.rand() }
            Self.compare("rand", seed: c.seed, expected: c.rand, actual: actual)
        }
    }

    @Test("manual_seed(0): torch's well-known first draws")
    func seedZero() {
        var normal = TorchGenerator(seed: 0)
        let first = normal.randn()
        let second = normal.randn()
        var uniform = TorchGenerator(seed: 0)
        let third = uniform.rand()
        #expect(first == 1.5409960746765137)
        #expect(second == -0.293428897857666)
        #expect(third == 0.49625658988952637)
    }

    @Test("seeds are 64-bit patterns and only their low 32 bits reach MT19937")
    func seedHandling() {
        #expect(TorchGenerator(seed: -1).initialSeed == UInt64.max)
        #expect(TorchGenerator(seed: Int.min).initialSeed == 1 << 63)
        for (a, b) in [
            (TorchGenerator(seed: -1), TorchGenerator(seedBits: UInt64.max)),
            (TorchGenerator(seed: 5), TorchGenerator(seed: (1 << 32) + 5)),
            (TorchGenerator(seed: 0), TorchGenerator(seedBits: 0xffff_ffff_0000_0000)),
        ] {
            var x = a
            var y = b
            for call in 1...6 {
                let (u, v) = call.isMultiple(of: 2) ? (x.rand(), y.rand()) : (x.randn(), y.randn())
                #expect(
                    u.bitPattern == v.bitPattern,
                    "seeds \(a.initialSeed) and \(b.initialSeed), call \(call): \(u) vs \(v)"
                )
            }
        }
    }
}
