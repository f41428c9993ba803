/// Formats finite doubles exactly as Python's `repr(float)`.
///
/// Digits: the shortest decimal that reads back to the same double; when several of that
/// length exist, the closest to the exact value (ties to an even last digit). These are the
/// digits Python's `repr` (David Gay's `dtoa` mode 0) produces; they are computed here with
/// the Schubfach algorithm (see ``Schubfach``).
///
/// Layout (Python's `float_repr_style = 'short'` with `repr`'s rules): with `decpt` the
/// position of the decimal point relative to the digits (value = 0.DIGITS × 10^decpt),
/// scientific notation when `decpt <= -4` or `decpt > 16`, i.e. when the exponent is below
/// -4 or at least 16; otherwise positional with at least one digit after the point.
/// Exponents carry a sign and at least two digits: `1e-05`, `1e+16`, `5e-324`, `1e+100`.
enum PythonRepr {
    /// The longest text: `-1.2345678901234567e-308` is 24 bytes.
    static let maxLength = 32

    /// Appends the `repr` of the finite double `d` to `out`.
    @inline(__always)
    static func append(_ d: Double, to out: inout [UInt8]) {
        #if compiler(>=6.2) && os(Linux)
        // Format straight into the array's spare capacity (no availability limits on Linux).
        out.append(addingCapacity: maxLength) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                initialized += format(d, into: buffer.baseAddress! + initialized)
            }
        }
        #else
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLength) { buffer in
            let n = format(d, into: buffer.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: n))
        }
        #endif
    }

    /// Writes the `repr` of the finite double `d` at `p` (which has room for ``maxLength``
    /// bytes) and returns the number of bytes written.
    static func format(_ d: Double, into p: UnsafeMutablePointer<UInt8>) -> Int {
        let zero = UInt8(ascii: "0")
        var n = 0
        let bits = d.bitPattern
        if bits >> 63 != 0 {
            p[0] = UInt8(ascii: "-")
            n = 1
        }
        let magnitudeBits = bits & 0x7FFF_FFFF_FFFF_FFFF
        if magnitudeBits == 0 {
            p[n] = zero
            p[n + 1] = UInt8(ascii: ".")
            p[n + 2] = zero
            return n + 3
        }

        var (f, e) = Schubfach.shortest(magnitudeBits)
        // Drop trailing zeros; f is then the digit string.
        while f % 10 == 0 {
            f /= 10
            e += 1
        }
        // Digits are written straight to their final place.
        let digitCount = decimalDigitCount(f)
        let decimalPoint = e + digitCount

        if decimalPoint <= -4 || decimalPoint > 16 {
            // d.ddde±XX: write the digits one place right, then pull the first one left.
            writeDigits(f, count: digitCount, at: p + n + 1)
            p[n] = p[n + 1]
            if digitCount > 1 {
                p[n + 1] = UInt8(ascii: ".")
                n += digitCount + 1
            } else {
                n += 1
            }
            p[n] = UInt8(ascii: "e")
            var exponent = decimalPoint - 1
            if exponent < 0 {
                p[n + 1] = UInt8(ascii: "-")
                exponent = -exponent
            } else {
                p[n + 1] = UInt8(ascii: "+")
            }
            n += 2
            if exponent >= 100 {
                p[n] = zero &+ UInt8(truncatingIfNeeded: exponent / 100)
                n += 1
            }
            p[n] = zero &+ UInt8(truncatingIfNeeded: exponent / 10 % 10)
            p[n + 1] = zero &+ UInt8(truncatingIfNeeded: exponent % 10)
            return n + 2
        }
        if decimalPoint <= 0 {
            // 0.000ddd: "0." and up to three zeros in one store (the digits overwrite the spare).
            p[n] = zero
            p[n + 1] = UInt8(ascii: ".")
            n += 2
            UnsafeMutableRawPointer(p + n).storeBytes(of: 0x3030_3030, as: UInt32.self)
            n -= decimalPoint
            writeDigits(f, count: digitCount, at: p + n)
            return n + digitCount
        }
        if decimalPoint >= digitCount {
            // ddd000.0
            writeDigits(f, count: digitCount, at: p + n)
            n += digitCount
            for _ in 0..<decimalPoint - digitCount {
                p[n] = zero
                n += 1
            }
            p[n] = UInt8(ascii: ".")
            p[n + 1] = zero
            return n + 2
        }
        // ddd.ddd: write the digits one place right, then pull the integer part left.
        writeDigits(f, count: digitCount, at: p + n + 1)
        for i in 0..<decimalPoint {
            p[n + i] = p[n + 1 + i]
        }
        p[n + decimalPoint] = UInt8(ascii: ".")
        return n + digitCount + 1
    }
}

extension PythonRepr {
    /// 10^0 ... 10^19.
    static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
        100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    /// The number of decimal digits of `value` (1 for 0).
    @inline(__always)
    static func decimalDigitCount(_ value: UInt64) -> Int {
        // floor(log10(2^bits)) from the bit length, then one comparison to correct it.
        let bitLength = 64 - (value | 1).leadingZeroBitCount
        let estimate = (bitLength &* 1233) >> 12
        return value >= powersOfTen[estimate] ? estimate + 1 : estimate
    }

    /// The eight decimal digits of `value` (below 10^8, zero-padded) as ASCII bytes, the most
    /// significant in the lowest byte: all eight at once with lane-wise arithmetic (two 32-bit
    /// lanes of four digits, then four 16-bit lanes of two, then eight bytes of one).
    @inline(__always)
    static func eightDigits(_ value: UInt32) -> UInt64 {
        let v = UInt64(value)
        let high = v / 10_000
        // Lane 0: the first four digits; lane 1: the last four.
        let fours = high | ((v &- high &* 10_000) << 32)
        // x / 100 for x < 10^4 is x × 10486 >> 20 (exact there); masks drop what the shift
        // brings down from the lane above.
        let hundreds = ((fours &* 10_486) >> 20) & 0x0000_007F_0000_007F
        let twos = hundreds | ((fours &- hundreds &* 100) << 16)
        // x / 10 for x < 100 is x × 103 >> 10.
        let tens = ((twos &* 103) >> 10) & 0x000F_000F_000F_000F
        let ones = twos &- tens &* 10
        return (tens | (ones << 8)) | 0x3030_3030_3030_3030
    }

    /// Stores the last `count` (1...8) of the digits `eightDigits` made at `p`, followed by
    /// `8 - count` bytes that are not part of the text (the caller has room for them and writes
    /// past them or ignores them).
    @inline(__always)
    static func store(_ digits: UInt64, count: Int, at p: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(p).storeBytes(of: (digits >> UInt64((8 &- count) &* 8)).littleEndian, as: UInt64.self)
    }

    /// Writes the `count` decimal digits of `value` (below 10^17, `count` its digit count) at
    /// `p`; up to seven bytes after them may be overwritten too (``maxLength`` leaves room).
    @inline(__always)
    static func writeDigits(_ value: UInt64, count: Int, at p: UnsafeMutablePointer<UInt8>) {
        if count <= 8 {
            store(eightDigits(UInt32(truncatingIfNeeded: value)), count: count, at: p)
            return
        }
        let (high, low) = value.quotientAndRemainder(dividingBy: 100_000_000)
        let lowDigits = eightDigits(UInt32(truncatingIfNeeded: low))
        if count <= 16 {
            store(eightDigits(UInt32(truncatingIfNeeded: high)), count: count &- 8, at: p)
        } else {
            // 17 digits: one, then eight, then eight.
            let (first, middle) = high.quotientAndRemainder(dividingBy: 100_000_000)
            p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: first)
            store(eightDigits(UInt32(truncatingIfNeeded: middle)), count: 8, at: p + 1)
        }
        store(lowDigits, count: 8, at: p + (count &- 8))
    }
}

/// Shortest round-tripping decimal for binary64, after R. Giulietti, "The Schubfach way to
/// render doubles" (2020), the algorithm behind Java's `Double.toString` since JDK 19.
///
/// Unlike Java, this returns the closest *shortest* decimal even when it has a single digit
/// (Java widens that case to two digits), which is Python's choice: `5e-324` and `1e-322`,
/// not `4.9e-324` and `9.9e-323`.
enum Schubfach {
    static let qMin = -1074
    static let kMin = -324
    static let cMin: UInt64 = 1 << 52
    static let mask63: UInt64 = (1 << 63) - 1

    /// floor(e × log10(2)).
    @inline(__always)
    static func flog10pow2(_ e: Int) -> Int {
        (e &* 661_971_961_083) >> 41
    }

    /// floor(e × log10(2) + log10(3/4)).
    @inline(__always)
    static func flog10threeQuartersPow2(_ e: Int) -> Int {
        (e &* 661_971_961_083 &- 274_743_187_321) >> 41
    }

    /// floor(e × log2(10)).
    @inline(__always)
    static func flog2pow10(_ e: Int) -> Int {
        (e &* 913_124_641_741) >> 38
    }

    /// Round to odd of cp × g × 2^-127, where g = g1 × 2^63 + g0.
    @inline(__always)
    static func rop(_ g1: UInt64, _ g0: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g0.multipliedFullWidth(by: cp).high
        let y = g1.multipliedFullWidth(by: cp)
        let z = (y.low >> 1) &+ x1
        let vbp = y.high &+ (z >> 63)
        return vbp | (((z & mask63) &+ mask63) >> 63)
    }

    /// For positive finite non-zero `bits`, returns (f, e) such that f × 10^e is the shortest
    /// decimal that rounds to the double (closest to it among the shortest; ties to even).
    /// `f` may carry trailing zeros.
    @inline(__always)
    static func shortest(_ bits: UInt64) -> (UInt64, Int) {
        let t = bits & (cMin - 1)
        let bq = Int(truncatingIfNeeded: bits >> 52)
        if bq != 0 {
            // Normal: value = c × 2^-mq.
            let mq = 1075 - bq
            let c = cMin | t
            if mq > 0 && mq < 53 {
                // Integers below 2^53 are their own shortest decimal.
                let f = c >> UInt64(mq)
                if f << UInt64(mq) == c {
                    return (f, 0)
                }
            }
            return toDecimal(q: -mq, c: c)
        }
        // Subnormal: value = t × 2^qMin.
        return toDecimal(q: qMin, c: t)
    }

    static func toDecimal(q: Int, c: UInt64) -> (UInt64, Int) {
        let out = c & 1
        let cb = c << 2
        let cbr = cb + 2
        let cbl: UInt64
        let k: Int
        if c != cMin || q == qMin {
            // Regular spacing: the neighbours are equally far away.
            cbl = cb - 2
            k = flog10pow2(q)
        } else {
            // Irregular spacing at a power of two: the lower neighbour is closer.
            cbl = cb - 1
            k = flog10threeQuartersPow2(q)
        }
        let h = UInt64(truncatingIfNeeded: q + flog2pow10(-k) + 2)
        let index = 2 * (k - kMin)
        let g1 = schubfachG[index]
        let g0 = schubfachG[index + 1]

        let vb = rop(g1, g0, cb << h)
        let vbl = rop(g1, g0, cbl << h)
        let vbr = rop(g1, g0, cbr << h)

        let s = vb >> 2
        // Java tries one digit fewer only when s >= 100, to keep at least two digits; Python
        // wants the shortest, so try it whenever s has two digits or more.
        if s >= 10 {
            // One digit fewer: sp10 = 10 × floor(s / 10) and the next multiple of ten.
            let sp10 = 10 &* s.multipliedFullWidth(by: 115_292_150_460_684_698 << 4).high
            let tp10 = sp10 &+ 10
            let upin = vbl &+ out <= sp10 << 2
            let wpin = (tp10 << 2) &+ out <= vbr
            if upin != wpin {
                return (upin ? sp10 : tp10, k)
            }
        }
        let t = s &+ 1
        let uin = vbl &+ out <= s << 2
        let win = (t << 2) &+ out <= vbr
        if uin != win {
            return (uin ? s : t, k)
        }
        // Both candidates round to the double: take the closer, ties to even.
        let cmp = Int64(bitPattern: vb &- ((s &+ t) << 1))
        return (cmp < 0 || (cmp == 0 && s & 1 == 0) ? s : t, k)
    }
}
