#if canImport(Glibc)
import Glibc
#endif

/// XLA's float32 `exp` on CPU (jaxlib 0.10.2), as its fused kernels compute it: a Cephes-style
/// range reduction and degree-6 polynomial, every multiply-add an FMA, subnormal results
/// flushed to zero by the kernel's FTZ/DAZ mode.
///
/// `x` is clamped to [-87.8, 88.8]; `n = clamp(floor(fma(x, log2(e), 0.5)), -127, 127)`;
/// `r = x - n·C1 - n·C2` (two FMAs, `C1 + C2 = ln 2` split so that `n·C1` is exact); the
/// polynomial `p(r)` runs by Horner's rule in FMAs; the result is `(fma(p, r², r) + 1) · 2ⁿ`,
/// `2ⁿ` built from its exponent bits. It is not glibc's `expf` (which agrees on about 90 % of
/// inputs): reproduced from the machine code XLA emits for `jnp.exp` under `jit`, and checked
/// against it on 10⁶ inputs (`Tests/Float32MathTests`).
///
/// Also `cos` and `pow`, which XLA takes from glibc, so that every elementary function the
/// float32 families use is named, documented and tested here.
public enum XLA {
    /// XLA CPU's `exp` for float32.
    @inlinable
    public static func exp(_ x: Float) -> Float {
        if x.isNaN { return .nan }
        let clamped = Swift.min(Float(88.8), Swift.max(Float(-87.8), x))
        var n = Float(0.5).addingProduct(clamped, Float(bitPattern: 0x3FB8_AA3B)).rounded(.down)
        n = Swift.min(127, Swift.max(-127, n))
        var r = clamped.addingProduct(-n, Float(bitPattern: 0x3F31_8000))
        r = r.addingProduct(-n, Float(bitPattern: 0xB95E_8083))
        var p = Float(bitPattern: 0x3AB7_43CE).addingProduct(Float(bitPattern: 0x3950_6967), r)
        p = Float(bitPattern: 0x3C08_8908).addingProduct(p, r)
        p = Float(bitPattern: 0x3D2A_A9C1).addingProduct(p, r)
        p = Float(bitPattern: 0x3E2A_AAAA).addingProduct(p, r)
        p = Float(0.5).addingProduct(p, r)
        let y = r.addingProduct(p, r * r) + 1
        let scale = Float(bitPattern: UInt32(bitPattern: (Int32(n) + 127) << 23))
        return flush(y * scale)
    }

    /// XLA CPU's `log` for float32: Cephes' `logf` as Eigen writes it. The mantissa `m` in
    /// [0.5, 1) and exponent `e` of `x` (a subnormal input is 0 under denormals-are-zero, so its
    /// log is -inf); below √½ the
    /// mantissa is doubled (`m - 1 + m`, `e - 1`); a degree-8 polynomial in `t = m - 1`, three
    /// Horner chains joined by `t³`, all FMAs; then `t - t²/2 + t³·p(t) + e·C2 + e·C1` with
    /// `C1 + C2 = ln 2`. `log(0) = -inf`, `log(inf) = inf`, negative or NaN inputs give NaN.
    /// Reproduced from the machine code XLA emits under `jit`, checked on 10⁶ inputs.
    @inlinable
    public static func log(_ x: Float) -> Float {
        if x.isNaN || x < 0 { return .nan }
        // Denormals-are-zero: a subnormal input is 0.
        if x == 0 || x.isSubnormal { return -.infinity }
        if x == .infinity { return .infinity }
        let normal = Swift.max(x, Float(bitPattern: 0x0080_0000))
        let bits = normal.bitPattern
        let exponent = Float(Int32(bitPattern: bits >> 23) - 127)
        let m = Float(bitPattern: (bits & 0x807F_FFFF) | 0x3F00_0000)
        let small = m < Float(bitPattern: 0x3F35_04F3)
        let t = (m - 1) + (small ? m : 0)
        let e = (exponent + 1) - (small ? 1 : 0)
        var y1 = Float(bitPattern: 0xBDEB_D1B8).addingProduct(t, Float(bitPattern: 0x3D90_21BB))
        var y2 = Float(bitPattern: 0x3E11_E9BF).addingProduct(t, Float(bitPattern: 0xBDFE_5D4F))
        let t2 = t * t
        var y3 = Float(bitPattern: 0xBE7F_FFFC).addingProduct(t, Float(bitPattern: 0x3E4C_CEAC))
        y1 = Float(bitPattern: 0x3DEF_251A).addingProduct(t, y1)
        let t3 = t2 * t
        y2 = Float(bitPattern: 0xBE2A_AE50).addingProduct(t, y2)
        y3 = Float(bitPattern: 0x3EAA_AAAA).addingProduct(t, y3)
        y2 = y2.addingProduct(t3, y1)
        let y = y3.addingProduct(t3, y2)
        let tail = (e * Float(bitPattern: 0xB95E_8083)).addingProduct(t3, y)
        let head = t.addingProduct(t2, -0.5)
        return flush((head + tail).addingProduct(e, Float(bitPattern: 0x3F31_8000)))
    }

    /// XLA CPU's `cos` for float32: its kernels call glibc's `cosf` (checked on 10⁶ inputs from
    /// [0, π], [-10⁴, 10⁴], [-1, 1] and raw bit patterns).
    @inlinable
    public static func cos(_ x: Float) -> Float { cosf(x) }

    /// XLA CPU's `pow` for float32 with a variable exponent: glibc's `powf`, its result flushed
    /// to zero (checked on 10⁶ base/exponent pairs with normal bases, NaNs included: a signalling
    /// NaN to the power 0 is NaN, a quiet one 1, as in glibc; a subnormal base, which the kernel's denormals-are-zero
    /// mode makes `powf` mis-normalise, is outside the model). A constant exponent is
    /// specialised by XLA's simplifier first (`x²` as `x * x`, `x^0.5` as `sqrt`, ...); that is
    /// the caller's business.
    @inlinable
    public static func pow(_ x: Float, _ y: Float) -> Float {
        flush(powf(x, y))
    }

    /// `x ** p` for a constant exponent under jit: XLA's simplifier specialises 0, 0.5, 1, 2, 3
    /// and -1 (`1`, `sqrt`, `x`, `x*x`, `x*x*x`, `1/x`); any other exponent stays `pow`.
    @inlinable
    public static func power(_ x: Float, constant p: Double) -> Float {
        switch p {
        case 0: 1
        case 0.5: x.squareRoot()
        case 1: x
        case 2: x * x
        case 3: x * x * x
        case -1: 1 / x
        default: pow(x, Float(p))
        }
    }

    /// XLA's `convert` from s32 to f32: the nearest float. Counts in 0 ..< 2^23 become the
    /// significand of 2^23, and 2^23 is subtracted (both exact), instead of `cvtsi2ss`, which
    /// writes only the low part of its register and so waits for whatever last wrote it: at the
    /// start of a schedule's step, the previous step's value, so consecutive steps could not
    /// overlap.
    @inlinable
    public static func convert(_ n: Int32) -> Float {
        if UInt32(bitPattern: n) < 1 << 23 { return Float(bitPattern: 0x4B00_0000 | UInt32(bitPattern: n)) - 0x1p23 }
        return Float(n)
    }

    /// XLA's float32 `maximum`: NaN if either side is NaN.
    @inlinable
    public static func maximum(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }

    /// XLA's float32 `minimum`: NaN if either side is NaN.
    @inlinable
    public static func minimum(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

    /// A float32 result as XLA's CPU kernels leave it: they run with flush-to-zero, so a
    /// subnormal is 0 (with its sign).
    @inlinable
    public static func flush(_ x: Float) -> Float {
        x.isSubnormal ? Float(signOf: x, magnitudeOf: 0) : x
    }
}
