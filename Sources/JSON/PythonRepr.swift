/// Formats finite doubles exactly as Python's `repr(float)`.
///
/// Digits: the shortest decimal that reads back to the same double; when several of that
/// length exist, the closest to the exact value (ties to an even last digit). These are the
/// digits Python's `repr` (David Gay's `dtoa` mode 0) produces; they are computed here with
/// the Dragonbox algorithm (see ``Dragonbox``).
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

        var (f, e) = Dragonbox.shortest(magnitudeBits)
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
        UnsafeMutableRawPointer(p).storeBytes(of: (digits &>> UInt64((8 &- count) &* 8)).littleEndian, as: UInt64.self)
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

/// Shortest round-tripping decimal for binary64: the Dragonbox algorithm of J. Jeon,
/// "Dragonbox: A New Floating-Point Binary-to-Decimal Conversion Algorithm" (2020), for
/// round-to-nearest-even (the interval's endpoints belong to it when the significand is even,
/// and a tie between two candidates goes to the even one).
///
/// For a double with significand `fc` and binary exponent `e` (value `fc` × 2^e), the interval
/// of decimals that read back to it is multiplied by 10^k (k chosen so the interval is about
/// 100 to 1,000 units wide), using one 128-bit power of ten from ``dragonboxPowersOfTen``:
/// 1. one 64 × 128-bit product gives the interval's right end `zi` (integer part) and its
///    width `deltai`;
/// 2. if a multiple of 1,000 lies in the interval, `zi / 1,000` is the answer (one digit fewer
///    than the interval's scale; the exact checks at the right end use the product's fraction);
/// 3. otherwise the answer has one more digit: the value's own scaled digits rounded to nearest
///    (ties to even), found from `zi`'s remainder without a second product except when the
///    remainder is a multiple of 100 (1 in 100 cases), where the product's parity decides.
///
/// Powers of two (`fc` = 2^52) have a lower neighbour twice as close as the upper one and take
/// a separate, shorter path. Unlike Java's `Double.toString`, a one-digit answer is kept
/// (`5e-324`, `1e-322`), which is Python's choice. Results carry no guarantee about trailing
/// zeros; ``PythonRepr/format(_:into:)`` strips them.
enum Dragonbox {
    /// The smallest and largest decimal exponents in ``dragonboxPowersOfTen``.
    static let kMin = -292
    static let kMax = 326
    /// kappa: the interval is scaled to about 10^(kappa+1) units.
    static let kappa = 2

    /// floor(e × log10(2)), exact for |e| < 2^20 or so.
    @inline(__always)
    static func floorLog10Pow2(_ e: Int) -> Int {
        (e &* 661_971_961_083) >> 41
    }

    /// floor(e × log10(2) − log10(4/3)): floor(log10(3 × 2^(e−2))).
    @inline(__always)
    static func floorLog10ThreeQuartersPow2(_ e: Int) -> Int {
        (e &* 661_971_961_083 &- 274_743_187_321) >> 41
    }

    /// floor(e × log2(10)).
    @inline(__always)
    static func floorLog2Pow10(_ e: Int) -> Int {
        (e &* 913_124_641_741) >> 38
    }

    /// 10^k's 128 leading bits, rounded up, as (high, low) halves.
    @inline(__always)
    static func power(_ k: Int) -> (high: UInt64, low: UInt64) {
        let index = 2 &* (k &- kMin)
        return (dragonboxPowersOfTen[index], dragonboxPowersOfTen[index &+ 1])
    }

    /// The upper 128 bits of the 192-bit product `x` × `p`: (high word, low word).
    @inline(__always)
    static func upper128(_ x: UInt64, _ p: (high: UInt64, low: UInt64)) -> (high: UInt64, low: UInt64) {
        let top = x.multipliedFullWidth(by: p.high)
        let carryIn = x.multipliedFullWidth(by: p.low).high
        let (low, overflow) = top.low.addingReportingOverflow(carryIn)
        return (top.high &+ (overflow ? 1 : 0), low)
    }

    /// The parity of the integer part of `twoF` × 2^beta × 10^k (from the lower 128 bits of the
    /// 192-bit product) and whether that product is an integer. `beta` is in 1...63.
    @inline(__always)
    static func parity(_ twoF: UInt64, _ p: (high: UInt64, low: UInt64), beta: Int) -> (odd: Bool, isInteger: Bool) {
        let lowProduct = twoF.multipliedFullWidth(by: p.low)
        let high = twoF &* p.high &+ lowProduct.high
        let low = lowProduct.low
        let odd = (high &>> UInt64(64 &- beta)) & 1 != 0
        let fraction = (high &<< UInt64(beta)) | (low &>> UInt64(64 &- beta))
        return (odd, fraction == 0)
    }

    /// For positive finite non-zero `bits`, returns (f, e) such that f × 10^e is the shortest
    /// decimal that rounds to the double (the closest to it among the shortest; ties to even).
    /// `f` may carry trailing zeros.
    @inline(__always)
    static func shortest(_ bits: UInt64) -> (UInt64, Int) {
        let fraction = bits & ((1 << 52) - 1)
        let exponentBits = Int(truncatingIfNeeded: bits >> 52)
        if exponentBits != 0 {
            // Normal: value = c × 2^e.
            let e = exponentBits &- 1075
            let c = (1 << 52) | fraction
            if e < 0 && e > -53 {
                // Integers below 2^53 are their own shortest decimal.
                let f = c &>> UInt64(-e)
                if f &<< UInt64(-e) == c {
                    return (f, 0)
                }
            }
            if fraction == 0 {
                return powerOfTwo(e: e)
            }
            return nearest(twoFc: c << 1, e: e, isEven: bits & 1 == 0)
        }
        // Subnormal: value = fraction × 2^-1074.
        return nearest(twoFc: fraction << 1, e: -1074, isEven: bits & 1 == 0)
    }

    /// The general case: the neighbours are equally far away. (Shift amounts here are within
    /// 1...63 by construction, so shifts are the masking ones.)
    static func nearest(twoFc: UInt64, e: Int, isEven: Bool) -> (UInt64, Int) {
        let minusK = floorLog10Pow2(e) &- kappa
        let p = power(-minusK)
        let beta = e &+ floorLog2Pow10(-minusK)
        // The interval's half-width and right end, scaled: 100 <= deltai < 1,000.
        let deltai = UInt32(truncatingIfNeeded: p.high &>> UInt64(63 &- beta))
        let z = upper128((twoFc | 1) &<< UInt64(beta), p)
        let zi = z.high

        // One digit fewer: a multiple of 1,000 inside the interval.
        var significand = zi / 1_000
        var r = UInt32(truncatingIfNeeded: zi &- 1_000 &* significand)
        var fewer = false
        if r < deltai {
            // zi itself is the right end: excluded when odd and exactly reached.
            if r == 0 && z.low == 0 && !isEven {
                significand &-= 1
                r = 1_000
            } else {
                fewer = true
            }
        } else if r == deltai {
            // At the left end: included when it is inside (by the product's fraction).
            let left = parity(twoFc &- 1, p, beta: beta)
            fewer = left.odd || (left.isInteger && isEven)
        }
        if fewer {
            return (significand, minusK &+ kappa &+ 1)
        }

        // One digit more: the value's scaled digits, rounded to nearest.
        significand &*= 10
        var dist = r &- (deltai / 2) &+ 50
        let approximateParity = (dist ^ 50) & 1 != 0
        // dist / 100 and whether it divides exactly (exact for dist <= 1,000).
        dist &*= 656
        let divisible = dist & 0xFFFF < 656
        dist >>= 16
        significand &+= UInt64(dist)
        if divisible {
            // The true digits are significand or significand − 1; their parity tells which, and
            // an exact product is a tie, which goes to the even one.
            let y = parity(twoFc, p, beta: beta)
            if y.odd != approximateParity {
                significand &-= 1
            } else if y.isInteger && significand & 1 != 0 {
                significand &-= 1
            }
        }
        return (significand, minusK &+ kappa)
    }

    /// A power of two, 2^52 × 2^e: its lower neighbour is half as far as its upper one.
    static func powerOfTwo(e: Int) -> (UInt64, Int) {
        let minusK = floorLog10ThreeQuartersPow2(e)
        let beta = e &+ floorLog2Pow10(-minusK)
        let p = power(-minusK)
        // The interval's ends, scaled (a quarter and a half unit away); the left one is an
        // integer only for e in 2...3.
        var xi = (p.high &- (p.high >> 54)) &>> UInt64(11 &- beta)
        let zi = (p.high &+ (p.high >> 53)) &>> UInt64(11 &- beta)
        if e != 2 && e != 3 { xi &+= 1 }
        // One digit fewer when a multiple of ten is inside.
        let tens = zi / 10
        if tens &* 10 >= xi {
            return (tens, minusK &+ 1)
        }
        // Otherwise the value's digits rounded up, then corrected: down on the one exact tie
        // (e = -77) when odd, up when below the interval.
        var significand = ((p.high &>> UInt64(10 &- beta)) &+ 1) / 2
        if significand & 1 != 0 && e == -77 {
            significand &-= 1
        } else if significand < xi {
            significand &+= 1
        }
        return (significand, minusK)
    }
}
