import HTTPServer
import Synchronization

/// The id that ties a request to its log line, its `X-Request-ID` answer header and the
/// `instance` of its problem: the client's `X-Request-ID` when it is sane (1 to 128 characters
/// of letters, digits and `-._:`), a new random one otherwise.
public enum RequestID {
    /// The id for `request`.
    public static func of(_ request: HTTPRequest) -> String {
        if let given = request.headerFields.valueIfPresent(.requestID), isSane(given) { return given }
        return generate()
    }

    /// Whether a client-supplied id may be echoed and logged as it is.
    public static func isSane(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ":")
            }
    }

    /// 15 hex digits: 7 random ones chosen once per process, then 8 of a sequence number, so ids
    /// are unique across replicas and restarts without a random draw (a system call) per request.
    /// Fifteen because a Swift string of up to 15 bytes is stored inline: the id costs no
    /// allocation and no reference counting as it travels with its request.
    public static func generate() -> String {
        let n = UInt32(truncatingIfNeeded: sequence.add(1, ordering: .relaxed).newValue)
        return hex(UInt64(prefix) << 32 | UInt64(n), digits: 15)
    }

    private static let prefix: UInt32 = {
        var generator = SystemRandomNumberGenerator()
        return UInt32(truncatingIfNeeded: generator.next() as UInt64) & 0x0FFF_FFFF
    }()
    private static let sequence = Atomic<UInt64>(0)

    /// The low `digits` hex digits of `value`, zero-padded, lowercase.
    private static func hex(_ value: UInt64, digits: Int) -> String {
        String(unsafeUninitializedCapacity: digits) { buffer in
            var v = value
            for i in stride(from: digits - 1, through: 0, by: -1) {
                let nibble = UInt8(truncatingIfNeeded: v & 0xF)
                buffer[i] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                v >>= 4
            }
            return digits
        }
    }

    /// Stamps `response` with the id: the `X-Request-ID` header, and `instance` in a problem.
    static func stamp(_ answer: Answer, id: String) -> Answer {
        guard case .problem(var problem) = answer else { return answer }
        problem.instance = "urn:lrsched:request:\(id)"
        return .problem(problem)
    }
}
