import Testing

@testable import Schedules

#if canImport(Glibc)
import Glibc
#endif

/// The shortcuts schedules take every step give what the general path gives: int-to-float
/// conversion without `cvtsi2sd`, and `x ** 1.0` without calling `pow`.
@Suite("Python float shortcuts")
struct PythonFloatTests {
    @Test("float(n) is the nearest double, on both sides of 2^52 and for negative ints")
    func floatConversion() {
        var samples: [Int] = [0, 1, 2, 3, 10, 999, 1000, -1, -2, Int.max, Int.min, Int.min + 1]
        for power in [31, 32, 51, 52, 53, 54, 62] {
            for offset in -2...2 { samples += [(1 << power) + offset, -(1 << power) + offset] }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 { samples.append(Int.random(in: 0..<(1 << 52), using: &generator)) }
        for n in samples {
            let converted = PythonFloat.float(n)
            #expect(
                converted.bitPattern == Double(n).bitPattern,
                "float(\(n)): got \(converted), Swift's conversion gives \(Double(n))"
            )
        }
    }

    @Test("x ** 1.0 is glibc's pow(x, 1.0): x itself, for normal, subnormal, huge and negative x")
    func powerOfOne() throws {
        var samples: [Double] = [
            0.5, 2, -2, 3.7, -3.7, 0x1p-1030, -0x1p-1030, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, 0.1, 1 - .ulpOfOne,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            let x = Double(bitPattern: bits)
            if x.isFinite { samples.append(x) }
        }
        for x in samples {
            let power = try PythonArithmetic.floatPower(x, 1.0)
            #expect(power.bitPattern == pow(x, 1.0).bitPattern, "\(x) ** 1.0: got \(power), glibc's pow \(pow(x, 1.0))")
        }
    }
}
