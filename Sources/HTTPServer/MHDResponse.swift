internal import CMicroHTTPD
import Synchronization

/// A libmicrohttpd response ready to queue, owned until it is queued or dropped.
struct MHDResponse: @unchecked Sendable {
    /// The `struct MHD_Response *`.
    let raw: OpaquePointer
    /// The status to queue it with.
    let status: UInt32

    /// Queues the response on `connection` (closing the connection after it when `close`) and
    /// releases this reference; returns the access handler's result.
    func queue(on connection: OpaquePointer, close: Bool) -> MHD_Result {
        if close { _ = MHD_add_response_header(raw, "Connection", "close") }
        let result = MHD_queue_response(connection, UInt32(status), raw)
        MHD_destroy_response(raw)
        return result
    }

    /// Drops a response that will not be queued.
    func destroy() {
        MHD_destroy_response(raw)
    }

    /// A plain-text reply for when the handlers cannot answer (out of memory, a bad status).
    static func plain(_ status: UInt32) -> MHDResponse? {
        let text =
            switch status {
            case 400: "Bad Request\n"
            case 413: "Payload Too Large\n"
            default: "Internal Server Error\n"
            }
        return HTTPResponse(
            status: HTTPStatus(code: Int(status)),
            headerFields: [.contentType: "text/plain; charset=utf-8"],
            body: Array(text.utf8)
        ).makeMHDResponse()
    }
}

/// The memory answers take at once, under one budget shared by the server and the application:
/// bodies libmicrohttpd holds for clients that have not read them yet (counted by the server),
/// and answers still being computed (reserved by the application before any work, from the size
/// it knows in advance). So an answer that would pass the budget together with the others is
/// refused before it is computed, not after.
public final class ResponseMemory: Sendable {
    /// The most bytes answers may take at once.
    public let budget: Int
    /// Bytes of bodies libmicrohttpd holds now.
    let held = Atomic<Int>(0)
    /// Bytes reserved for answers being computed.
    private let reserved = Atomic<Int>(0)

    /// A ledger with `budget` bytes.
    public init(budget: Int = 128 * 1024 * 1024) {
        self.budget = budget
    }

    /// Bytes held for clients and reserved for answers being computed, now.
    public var bytesInUse: Int { held.load(ordering: .relaxed) + reserved.load(ordering: .relaxed) }

    /// Whether `bytes` more would fit now (nothing is reserved).
    public func fits(_ bytes: Int) -> Bool {
        bytesInUse + bytes <= budget
    }

    /// Reserves `bytes` for an answer about to be computed; false, reserving nothing, when they
    /// would take the answers in memory past the budget.
    public func reserve(_ bytes: Int) -> Bool {
        let after = reserved.add(bytes, ordering: .relaxed).newValue
        if held.load(ordering: .relaxed) + after > budget {
            reserved.subtract(bytes, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Returns a reservation once its answer is handed to the server (which then counts it).
    public func release(_ bytes: Int) {
        reserved.subtract(bytes, ordering: .relaxed)
    }
}

/// One counted body: its memory and the bookkeeping that releases it.
private final class HeldBody {
    /// The bytes libmicrohttpd sends: `memory`, or `kept`'s storage when no copy was made.
    let base: UnsafeRawPointer?
    /// How many bytes there is room for at `base`.
    let count: Int
    /// The bytes counted in `ledger`: all the memory held, spare capacity included.
    private let charged: Int
    let ledger: ResponseMemory
    /// Memory this body allocated (a compressed body's room), freed with it.
    let memory: UnsafeMutableRawPointer?
    /// The rendered body, kept alive and never mutated while libmicrohttpd reads its storage.
    private let kept: [UInt8]

    /// Room for `count` bytes to be written (a compressed body).
    init(room count: Int, ledger: ResponseMemory) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 16)
        self.memory = memory
        self.base = UnsafeRawPointer(memory)
        self.kept = []
        self.count = count
        self.charged = count
        self.ledger = ledger
        ledger.held.add(count, ordering: .relaxed)
    }

    /// `body` itself, without a copy: a native array's storage stays where it is while this
    /// reference keeps it alive and nothing mutates it (the array is a `let`).
    init(keeping body: [UInt8], ledger: ResponseMemory) {
        self.kept = body
        self.memory = nil
        self.base = body.withUnsafeBytes { $0.baseAddress }
        self.count = body.count
        self.charged = body.capacity
        self.ledger = ledger
        ledger.held.add(charged, ordering: .relaxed)
    }

    deinit {
        ledger.held.subtract(charged, ordering: .relaxed)
        memory?.deallocate()
    }
}

/// libmicrohttpd's free callback for counted bodies: releases the `HeldBody`.
private func releaseHeldBody(_ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<HeldBody>.fromOpaque(context).release()
}

extension HTTPResponse {
    /// This response for libmicrohttpd, or `nil` for a status it cannot send (outside 200...999)
    /// or when memory runs out. With `counted`, the body's memory counts in that ledger until
    /// libmicrohttpd frees it; with `gzip` as well, the body is sent gzip-compressed.
    func makeMHDResponse(counted ledger: ResponseMemory? = nil, gzip: Bool = false) -> MHDResponse? {
        guard (200...999).contains(status.code) else { return nil }
        let created: OpaquePointer?
        if let ledger {
            let held: HeldBody
            let length: Int
            if gzip {
                held = HeldBody(room: lrs_gzip_bound(body.count), ledger: ledger)
                length = body.withUnsafeBytes {
                    lrs_gzip($0.baseAddress, $0.count, held.memory!, held.count)
                }
                guard length > 0 else { return nil }
            } else {
                held = HeldBody(keeping: body, ledger: ledger)
                length = body.count
            }
            let context = Unmanaged.passRetained(held)
            created = MHD_create_response_from_buffer_with_free_callback_cls(
                length,
                UnsafeMutableRawPointer(mutating: held.base),
                releaseHeldBody,
                context.toOpaque()
            )
            if created == nil { context.release() }
        } else {
            created = body.withUnsafeBytes { bytes in
                MHD_create_response_from_buffer(
                    bytes.count,
                    UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                    .RESPMEM_MUST_COPY
                )
            }
        }
        guard let created else { return nil }
        // HTTPTypes already guarantees what the framing needs: a name is a token (or a pseudo-
        // header, which HTTP/1.1 cannot carry) and a value holds no NUL, CR or LF (`HTTPField`
        // legalizes it).
        // By position, reading each field's name and value in place (iterating copies each field).
        for index in headerFields.indices {
            let name = headerFields[index].name.rawName
            if name.utf8.first == UInt8(ascii: ":") { continue }
            // withCString reads a native string's own NUL-terminated storage: no copy per header.
            _ = name.withCString { name in
                headerFields[index].value.withCString { value in MHD_add_response_header(created, name, value) }
            }
        }
        if gzip && ledger != nil {
            _ = MHD_add_response_header(created, "Content-Encoding", "gzip")
            _ = MHD_add_response_header(created, "Vary", "Accept-Encoding")
        }
        return MHDResponse(raw: created, status: UInt32(status.code))
    }
}
