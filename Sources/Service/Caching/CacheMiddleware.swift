import HTTPServer
import Schedules

/// Repeated requests of the deterministic routes (schedules, batches, training runs) nearly free.
///
/// - Every 200 of such a route carries a strong `ETag`: a 128-bit FNV-1a hash of the request
///   (route, method, query, `Accept`, body) seeded with the build version and the limits, so the
///   same request gets the same tag from every replica of a build. A GET answer also carries
///   `Cache-Control: public, max-age=86400`, so any HTTP cache or CDN in front can serve it.
/// - A GET or HEAD whose `If-None-Match` holds that tag is answered 304 before anything is
///   decoded; a POST's is answered 412, as RFC 9110 §13.1.2 asks of methods other than GET/HEAD.
/// - Otherwise the answer cache is asked by the request's exact bytes; a miss runs the route and
///   stores its 200 when the request was seen recently (`AnswerCache.lookup`).
struct CacheMiddleware: Middleware {
    let cache: AnswerCache
    /// The ETag seed, hashed once: the build version and the limits that decide whether a
    /// request is valid.
    let seed: UInt128
    /// The route table: whether a route answers deterministically, and the methods it takes.
    let routes: [Route]
    let metrics: ServiceMetrics

    /// How long a shared cache may serve a GET answer without asking again.
    static let cacheControl = "public, max-age=86400"

    func respond(to request: HTTPRequest, context: RequestContext, next: Responder) -> HTTPHandlerResult {
        let isGet = request.method == .get || request.method == .head
        // Only a method the route takes: anything else is the router's 405, never a 304.
        // The route read in place: a copy of it would retain each of its fields.
        guard context.routeIndex < routes.count, routes[context.routeIndex].cacheable,
            routes[context.routeIndex].allows(request.method), isGet || request.method == .post
        else { return next(request, context) }
        let bytes = Self.key(request, route: context.routeIndex, isGet: isGet)
        let key = AnswerCache.Key(hash: ETag.hash(bytes, from: seed), bytes: bytes)
        if let tags = request.headerFields.valueIfPresent(.ifNoneMatch), case let etag = ETag.text(key.hash),
            ETag.list(tags, contains: etag)
        {
            metrics.cache(.notModified)
            if isGet {
                return .response(
                    HTTPResponse(
                        status: .notModified,
                        headerFields: [.eTag: etag, .cacheControl: Self.cacheControl, .vary: "Accept"]
                    )
                )
            }
            let problem = Problem(
                .notModified,
                detail:
                    "If-None-Match holds this answer's ETag: your copy is current (GET /v1/schedules?spec=… answers 304 instead)",
                headers: [HTTPField(name: .eTag, value: etag)]
            )
            return .response(ScheduleService.send(.problem(problem), id: context.requestID))
        }
        let (hit, admitted) = cache.lookup(key)
        if let hit {
            metrics.cache(.hit)
            return .response(hit.response)
        }
        metrics.cache(.miss)
        let state = Miss(cache: cache, metrics: metrics, key: key, isGet: isGet, admitted: admitted)
        return next(request, context).map(with: state) { state, response in
            guard response.status == .ok else { return }
            let etag = ETag.text(state.key.hash)
            // Routes never set these two: appended, not searched for.
            response.headerFields.append(HTTPField(name: .eTag, value: etag))
            if state.isGet { response.headerFields.append(HTTPField(name: .cacheControl, value: Self.cacheControl)) }
            guard state.admitted else { return }
            // Stored compact: the rendered body's buffer has room to spare.
            var stored = response
            stored.body = response.body.withUnsafeBufferPointer { Array($0) }
            if let done = state.cache.store(AnswerCache.Entry(response: stored, etag: etag), for: state.key) {
                state.metrics.cacheStored(entries: done.entries, bytes: done.bytes, evicted: done.evicted)
            }
        }
    }

    /// What a miss's answer is stamped and stored with (a struct: a tuple's type would be built
    /// at run time to copy and destroy it).
    struct Miss: Sendable {
        let cache: AnswerCache
        let metrics: ServiceMetrics
        let key: AnswerCache.Key
        let isGet: Bool
        let admitted: Bool
    }

    /// The request's identity: everything an answer depends on, byte for byte, with separators
    /// that cannot occur inside the parts they follow (a NUL is not in a query or a header value).
    static func key(_ request: HTTPRequest, route: Int, isGet: Bool) -> [UInt8] {
        let query = request.query?.utf8
        let accept = request.headerFields.valueIfPresent(.accept)?.utf8
        var key: [UInt8] = []
        key.reserveCapacity(4 + (query?.count ?? 0) + (accept?.count ?? 0) + request.body.count)
        key.append(UInt8(truncatingIfNeeded: route))
        key.append(isGet ? UInt8(ascii: "G") : UInt8(ascii: "P"))
        if let query { key.append(contentsOf: query) }
        key.append(0)
        if let accept { key.append(contentsOf: accept) }
        key.append(0)
        if !isGet { key.append(contentsOf: request.body) }
        return key
    }
}

/// Strong entity tags from request bytes.
enum ETag {
    /// FNV-1a's 128-bit offset basis: the state before any byte.
    static let offsetBasis: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d

    /// 128-bit FNV-1a continued over `bytes` from `state` (a seed hashed once).
    static func hash(_ bytes: [UInt8], from state: UInt128) -> UInt128 {
        // The FNV prime is 2^88 + 0x13B, so multiplying by it is a shift, a small product and
        // an add (mod 2^128): the same value as `&* prime`, without a full 128-bit product.
        var hash = state
        for byte in bytes {
            hash ^= UInt128(byte)
            hash = (hash << 88) &+ hash &* 0x13B
        }
        return hash
    }

    /// A hash as an entity tag: `"<32 hex digits>"`.
    static func text(_ hash: UInt128) -> String {
        String(unsafeUninitializedCapacity: 34) { buffer in
            buffer[0] = UInt8(ascii: "\"")
            func write(_ half: UInt64, at offset: Int) {
                for i in 0..<16 {
                    let nibble = UInt8(truncatingIfNeeded: half >> UInt64(60 - 4 * i)) & 0xF
                    buffer[offset + i] = nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
                }
            }
            write(UInt64(truncatingIfNeeded: hash >> 64), at: 1)
            write(UInt64(truncatingIfNeeded: hash), at: 17)
            buffer[33] = UInt8(ascii: "\"")
            return 34
        }
    }

    /// Whether an `If-None-Match` value (`*`, or a list of tags, weak ones compared weakly as
    /// RFC 9110 §13.1.2 asks) holds `etag`.
    static func list(_ value: String, contains etag: String) -> Bool {
        for item in value.split(separator: ",") {
            var tag = item.drop { $0 == " " || $0 == "\t" }
            while let last = tag.last, last == " " || last == "\t" { tag = tag.dropLast() }
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }

    /// The seed for a service: what, besides the request, decides its answer.
    static func fingerprint(_ configuration: ServiceConfiguration) -> [UInt8] {
        let limits = configuration.limits
        let training = configuration.trainingLimits
        return Array(
            "lrsched \(LRSchedVersion.current) epochs \(limits.maxEpochs) work \(limits.maxWork) training \(training)"
                .utf8
        )
    }
}
