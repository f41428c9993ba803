import Testing

@testable import Schedules

/// The integer `%` and `//` fast paths that schedules call every step agree with the general
/// CPython arithmetic (which the expression evaluator uses) for every sign and the extremes.
@Suite("Python integer % and //")
struct PythonIntegerTests {
    static var samples: [(Int, Int)] {
        var generator = SystemRandomNumberGenerator()
        let edges = [Int.min, Int.min + 1, -1_000_001, -7, -1, 0, 1, 6, 7, 1_000_001, Int.max]
        var pairs: [(Int, Int)] = []
        for a in edges {
            for b in edges where b != 0 { pairs.append((a, b)) }
        }
        for _ in 0..<2_000 {
            let b = Int.random(in: -50...50, using: &generator)
            if b != 0 { pairs.append((Int.random(in: -10_000...10_000, using: &generator), b)) }
        }
        return pairs
    }

    @Test("a % b and a // b as CPython computes them")
    func matchesGeneralArithmetic() throws {
        for (a, b) in Self.samples {
            // Int.min // -1 overflows a machine integer; CPython's is a big integer.
            if a == Int.min && b == -1 { continue }
            let modulo = try PythonFloat.modulo(a, b)
            let floorDivide = try PythonFloat.floorDivide(a, b)
            guard case .int(let expectedModulo) = try PythonArithmetic.modulo(.int(a), .int(b)),
                case .int(let expectedQuotient) = try PythonArithmetic.floorDivide(.int(a), .int(b))
            else {
                Issue.record("\(a), \(b): the general arithmetic gave a non-integer")
                continue
            }
            #expect(modulo == expectedModulo, "\(a) % \(b): got \(modulo), CPython \(expectedModulo)")
            #expect(floorDivide == expectedQuotient, "\(a) // \(b): got \(floorDivide), CPython \(expectedQuotient)")
        }
    }
}
