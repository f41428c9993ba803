#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// torch's CPU generator (`torch.Generator().manual_seed(seed)`): an MT19937 engine seeded the way torch
/// seeds it, plus the one-element `torch.randn(1, generator=g)` and `torch.rand(1, generator=g)` draws
/// (float32 default dtype) as the Python floats `.item()` returns.
///
/// What torch does, and what this type repeats step for step:
///
/// * Seeding (`CPUGeneratorImpl::set_current_seed`): the Python seed is taken as a 64-bit pattern
///   (negative seeds down to -2^63 in two's complement, so `-1` and `2^64 - 1` are the same seed), the
///   cached normal sample is dropped, and MT19937 is initialised from the low 32 bits only with Knuth's
///   linear recurrence (`init_genrand`). Seeds that differ by a multiple of 2^32 give the same stream.
/// * `random()` is one tempered 32-bit MT output; `random64()` is two of them, the first one in the
///   high half.
/// * `rand` (`uniform_real_distribution<float>`): `(random() & 0xFFFFFF) * 2^-24` in float, which is
///   exact and below 1; a value equal to the upper bound would be mapped to the lower one.
/// * `randn` on fewer than 16 elements (`normal_distribution<double>`): when the generator holds a
///   cached double sample, that sample is used and the cache cleared; otherwise two doubles
///   `u1, u2 = (random64() & (2^53 - 1)) * 2^-53` feed Box–Muller in double precision,
///   `r = sqrt(-2 * log1p(-u2))`, `theta = 2 * pi * u1`; `r * sin(theta)` is cached and
///   `r * cos(theta)` is returned. The result goes through `x * std + mean` (std 1, mean 0) in double,
///   then is rounded once to float32.
struct TorchGenerator: Sendable {
    private static let stateSize = 624
    private static let shift = 397
    private static let matrixA: UInt32 = 0x9908_b0df
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7fff_ffff

    /// The seed as torch stores it, `torch.Generator.initial_seed()`.
    let initialSeed: UInt64

    /// The MT19937 state words.
    private var state: [UInt32]
    /// Outputs left before the next twist, counting the one about to be drawn (torch's `left_`).
    private var left: Int
    /// Index of the next state word to temper (torch's `next_`).
    private var next: Int
    /// The second Box–Muller value of the last double normal pair (torch's `next_double_normal_sample_`).
    private var cachedNormal: Double?

    /// `torch.Generator().manual_seed(seed)` for a Python int in the range of `Int`; negative seeds are
    /// reinterpreted as their 64-bit two's complement, as torch does.
    init(seed: Int) {
        self.init(seedBits: UInt64(bitPattern: Int64(seed)))
    }

    /// `torch.Generator().manual_seed(seed)` for a seed given as torch's unsigned 64-bit value, which also
    /// covers Python ints in `2^63 ..< 2^64`.
    init(seedBits: UInt64) {
        initialSeed = seedBits
        var words = [UInt32](repeating: 0, count: Self.stateSize)
        words[0] = UInt32(truncatingIfNeeded: seedBits)
        for j in 1..<Self.stateSize {
            let previous = words[j - 1]
            words[j] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(j)
        }
        state = words
        left = 1
        next = 0
        cachedNormal = nil
    }

    /// `torch.randn(1, generator=g).item()`: one standard normal float32 sample, widened to `Double`.
    mutating func randn() -> Double {
        let raw: Double
        if let cached = cachedNormal {
            cachedNormal = nil
            raw = cached
        } else {
            let u1 = uniformDouble()
            let u2 = uniformDouble()
            let r = (-2.0 * log1p(-u2)).squareRoot()
            let theta = 2.0 * Double.pi * u1
            cachedNormal = r * sin(theta)
            raw = r * cos(theta)
        }
        let std = 1.0
        let mean = 0.0
        return Double(Float(raw * std + mean))
    }

    /// `torch.rand(1, generator=g).item()`: one float32 sample uniform on `[0, 1)`, widened to `Double`.
    mutating func rand() -> Double {
        let value = Float(random() & 0x00ff_ffff) * (1.0 / 16_777_216.0)
        return Double(value == 1 ? 0 : value)
    }

    /// `uniform_real_distribution<double>(0, 1)`: the low 53 bits of `random64()` times 2^-53.
    private mutating func uniformDouble() -> Double {
        Double(random64() & 0x001f_ffff_ffff_ffff) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `CPUGeneratorImpl::random64()`: two engine outputs, the first in the high 32 bits.
    private mutating func random64() -> UInt64 {
        let high = UInt64(random())
        let low = UInt64(random())
        return high << 32 | low
    }

    /// `CPUGeneratorImpl::random()`: the next tempered MT19937 output, twisting the state when it is used up.
    private mutating func random() -> UInt32 {
        left -= 1
        if left == 0 {
            twist()
        }
        var y = state[next]
        next += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `mt19937_engine::next_state()`: regenerates all 624 state words in place.
    private mutating func twist() {
        let n = Self.stateSize
        let m = Self.shift
        state.withUnsafeMutableBufferPointer { s in
            for i in 0..<n {
                let following = s[i + 1 == n ? 0 : i + 1]
                let mixed = (s[i] & Self.upperMask) | (following & Self.lowerMask)
                let twisted = (mixed >> 1) ^ (following & 1 == 0 ? 0 : Self.matrixA)
                s[i] = s[(i + m) % n] ^ twisted
            }
        }
        left = n
        next = 0
    }
}
