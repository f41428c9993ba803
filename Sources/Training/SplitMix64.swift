#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood): a 64-bit state advanced by 0x9E3779B97F4A7C15 per draw and
/// mixed with the `mix64variant13` finalizer, so a seed reproduces the same stream everywhere.
///
/// - `next()`: `state &+= 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9;
///   z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; return z ^ (z >> 31)`.
/// - `nextUniform()`: `Double(next() >> 11) * 0x1p-53`, in [0, 1).
/// - `nextGaussian()`: Box–Muller on two uniforms drawn in this order, `u1 = 1 - nextUniform()`
///   (in (0, 1], so the logarithm is finite) and `u2 = nextUniform()`;
///   `r = sqrt(-2 * log(u1))`, `θ = 2π * u2`. It returns `r * cos(θ)` and caches `r * sin(θ)`,
///   which the next call returns without drawing. Calls to `next()` or `nextUniform()` in between
///   do not clear the cached value.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's 64-bit state (the seed before the first draw).
    public private(set) var state: UInt64
    /// The second Box–Muller value, returned by the next `nextGaussian()`.
    private var cachedGaussian: Double?

    /// A generator whose first draw is the SplitMix64 output after `seed`.
    public init(seed: UInt64) {
        state = seed
        cachedGaussian = nil
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1): the top 53 bits of `next()` scaled by 2⁻⁵³.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal deviate by Box–Muller, as described on the type.
    public mutating func nextGaussian() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        let u1 = 1.0 - nextUniform()
        let u2 = nextUniform()
        let r = (-2.0 * log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        cachedGaussian = r * sin(theta)
        return r * cos(theta)
    }
}
