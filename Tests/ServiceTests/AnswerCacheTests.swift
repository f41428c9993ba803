import Foundation
import HTTPServer
import JSON
import Testing

@testable import Service

/// Repeated requests are answered from the cache, with the bytes a fresh evaluation gives; a
/// request that differs in one bit is never answered with another's bytes; ETags and 304.
@Suite("the answer cache, ETags and the GET form")
struct AnswerCacheTests {
    static func post(_ body: String, path: String = "/v1/schedules", headers: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: .post, path: path, headerFields: headers, body: Array(body.utf8))
    }

    static func spec(lr: Double, epochs: Int = 40) -> String {
        #"{"scheduler":"CosineAnnealingLR","lr":\#(lr),"params":{"T_max":17,"eta_min":0.001},"epochs":\#(epochs)}"#
    }

    /// A cache key for `name`; the hash is the same for every name here, so every look-up also
    /// has to compare the bytes.
    static func key(_ name: String) -> AnswerCache.Key {
        AnswerCache.Key(hash: 42, bytes: Array(name.utf8))
    }

    static let uncached: Application = {
        var configuration = ServiceConfiguration()
        configuration.answerCacheBytes = 0
        return Application(configuration: configuration)
    }()

    @Test("ETags are 128-bit FNV-1a of the request bytes, written as 32 hex digits")
    func etagIsFNV1a() {
        // FNV-1a 128 as its definition states it: xor the byte, multiply by the prime.
        func reference(_ bytes: [UInt8], from state: UInt128) -> UInt128 {
            let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013B
            var hash = state
            for byte in bytes { hash = (hash ^ UInt128(byte)) &* prime }
            return hash
        }
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 64, 300] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let seed = UInt128(generator.next() as UInt64) << 64 | UInt128(generator.next() as UInt64)
            for state in [ETag.offsetBasis, seed] {
                let got = ETag.hash(bytes, from: state)
                let expected = reference(bytes, from: state)
                #expect(got == expected, "\(length) bytes: hash \(got), FNV-1a \(expected)")
            }
        }
        // The empty input's hash is the offset basis: the published 128-bit FNV-1a value.
        #expect(ETag.text(ETag.hash([], from: ETag.offsetBasis)) == "\"6c62272e07bb014262b821756295c58d\"")
        #expect(ETag.text(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210) == "\"0123456789abcdeffedcba9876543210\"")
    }

    @Test("a repeated request is a hit with the same bytes and ETag")
    func repeated() throws {
        let application = Application()
        let first = application.handle(Self.post(Self.spec(lr: 0.1)))
        let stored = application.handle(Self.post(Self.spec(lr: 0.1)))
        #expect(application.answerCache.statistics.entries == 1, "the second request must store its answer")
        let second = application.handle(Self.post(Self.spec(lr: 0.1)))
        #expect(first.status == 200 && second.status == 200, "statuses \(first.status), \(second.status)")
        #expect(stored.body == first.body, "the second answer differs from the first")
        #expect(first.body == second.body, "the repeated answer differs from the first")
        let tag = try #require(first.headerFields[.eTag], "a schedule answer must carry an ETag")
        #expect(second.headerFields[.eTag] == tag, "ETags \(tag) and \(String(describing: second.headerFields[.eTag]))")
        let stats = application.answerCache.statistics
        #expect(stats.hits == 1 && stats.misses == 2 && stats.entries == 1, "cache statistics \(stats)")
        #expect(
            first.headerFields[values: HTTPField.Name("X-Request-ID")!].count == 1
                && second.headerFields[values: HTTPField.Name("X-Request-ID")!].count == 1,
            "a hit carries its own request id once"
        )
    }

    @Test("requests that differ in one bit of one number never share an answer")
    func oneBit() throws {
        let application = Application()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let base = Double.random(in: 1e-6...1.0, using: &generator)
            let neighbour = Double(bitPattern: base.bitPattern ^ 1)
            let epochs = Int.random(in: 1...60, using: &generator)
            // Alternate which one is cached first, and ask for each twice.
            let order =
                round.isMultiple(of: 2) ? [base, neighbour, base, neighbour] : [neighbour, base, base, neighbour]
            for lr in order {
                let text = Self.spec(lr: lr, epochs: epochs)
                let cached = application.handle(Self.post(text))
                let fresh = Self.uncached.handle(Self.post(text))
                #expect(
                    cached.body == fresh.body,
                    "round \(round), lr \(lr) (bits \(String(lr.bitPattern, radix: 16))): the cached answer differs from a fresh one"
                )
                #expect(cached.headerFields[.eTag] == fresh.headerFields[.eTag], "round \(round): ETags differ")
            }
            let a = Self.uncached.handle(Self.post(Self.spec(lr: base, epochs: epochs))).headerFields[.eTag]
            let b = Self.uncached.handle(Self.post(Self.spec(lr: neighbour, epochs: epochs))).headerFields[.eTag]
            #expect(a != b, "round \(round): lr \(base) and \(neighbour) share the ETag \(String(describing: a))")
        }
    }

    @Test("requests that differ in member order are each answered correctly")
    func memberOrder() {
        let application = Application()
        let one = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3,"gamma":0.5},"epochs":9}"#
        let other = #"{"epochs":9,"params":{"gamma":0.5,"step_size":3},"lr":0.1,"scheduler":"StepLR"}"#
        let a = application.handle(Self.post(one))
        let b = application.handle(Self.post(other))
        #expect(a.status == 200 && a.body == b.body, "member order changed the answer")
        #expect(a.body == Self.uncached.handle(Self.post(other)).body, "a cached answer differs from a fresh one")
    }

    @Test("Accept and the query are part of the key: a CSV and a JSON answer never mix")
    func formats() {
        let application = Application()
        let text = Self.spec(lr: 0.2)
        let json = application.handle(Self.post(text))
        let csv = application.handle(Self.post(text, headers: [.accept: "text/csv"]))
        let svg = application.handle(
            HTTPRequest(method: .post, path: "/v1/schedules", query: "format=svg", body: Array(text.utf8))
        )
        #expect(
            json.headerFields[.contentType] == "application/json",
            "JSON: \(String(describing: json.headerFields[.contentType]))"
        )
        #expect(
            csv.headerFields[.contentType] == "text/csv; charset=utf-8",
            "CSV: \(String(describing: csv.headerFields[.contentType]))"
        )
        #expect(
            svg.headerFields[.contentType] == "image/svg+xml",
            "SVG: \(String(describing: svg.headerFields[.contentType]))"
        )
        #expect(
            Set([json.headerFields[.eTag], csv.headerFields[.eTag], svg.headerFields[.eTag]]).count == 3,
            "ETags must differ by format"
        )
    }

    @Test("GET /v1/schedules?spec= answers like POST, cacheably, and 304 on a matching If-None-Match")
    func getForm() throws {
        let application = Application()
        let text = Self.spec(lr: 0.3)
        let query = "spec=" + text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let get = application.handle(HTTPRequest(method: .get, path: "/v1/schedules", query: query))
        let post = application.handle(Self.post(text))
        #expect(get.status == 200 && get.body == post.body, "GET \(get.status): the answer differs from POST's")
        #expect(
            get.headerFields[.cacheControl] == "public, max-age=86400",
            "Cache-Control \(String(describing: get.headerFields[.cacheControl]))"
        )
        #expect(post.headerFields[.cacheControl] == nil, "a POST answer is not marked cacheable")
        let tag = try #require(get.headerFields[.eTag])
        let conditional = application.handle(
            HTTPRequest(
                method: .get,
                path: "/v1/schedules",
                query: query,
                headerFields: [.ifNoneMatch: "\"x\", W/\(tag)"]
            )
        )
        #expect(
            conditional.status == 304 && conditional.body.isEmpty,
            "If-None-Match: \(conditional.status), \(conditional.body.count) bytes"
        )
        #expect(conditional.headerFields[.eTag] == tag, "a 304 names its ETag")
        let stale = application.handle(
            HTTPRequest(method: .get, path: "/v1/schedules", query: query, headerFields: [.ifNoneMatch: "\"0123\""])
        )
        #expect(stale.status == 200, "a stale tag gets the answer: \(stale.status)")
        let postTag = try #require(post.headerFields[.eTag])
        let precondition = application.handle(Self.post(text, headers: [.ifNoneMatch: postTag]))
        #expect(precondition.status == 412, "POST with its own ETag in If-None-Match: \(precondition.status)")
        let missing = application.handle(HTTPRequest(method: .get, path: "/v1/schedules"))
        #expect(missing.status == 400, "GET without spec: \(missing.status)")
        // A route that takes only POST answers 405 to GET, whatever If-None-Match holds.
        for tag in [postTag, "*"] {
            let batchGet = application.handle(
                HTTPRequest(method: .get, path: "/v1/schedules/batch", headerFields: [.ifNoneMatch: tag])
            )
            #expect(batchGet.status == 405, "GET /v1/schedules/batch with If-None-Match \(tag): \(batchGet.status)")
        }
    }

    @Test("errors are not cached; training runs are")
    func whatIsCached() {
        let application = Application()
        let bad = #"{"scheduler":"StepLR","lr":0.1,"epochs":3}"#
        _ = application.handle(Self.post(bad))
        let again = application.handle(Self.post(bad))
        #expect(again.status == 422 && again.headerFields[.eTag] == nil, "a 422 must not carry an ETag")
        #expect(application.answerCache.statistics.entries == 0, "a 422 must not be stored")
        let run = Self.post(TrainingRouteTests.seedLoop, path: "/v1/training-runs")
        let first = application.handle(run)
        _ = application.handle(run)
        let second = application.handle(run)
        #expect(first.status == 200 && first.body == second.body, "training answers differ")
        #expect(application.answerCache.statistics.hits == 1, "the second run must be a hit")
    }

    @Test("a request that never repeats is not stored: answers are kept from their second request")
    func doorkeeper() {
        let application = Application()
        for n in 0..<50 { _ = application.handle(Self.post(Self.spec(lr: 0.1 + Double(n) * 1e-12))) }
        #expect(application.answerCache.statistics.entries == 0, "one-off requests must not be stored")
        _ = application.handle(Self.post(Self.spec(lr: 0.1)))
        #expect(application.answerCache.statistics.entries == 1, "the repeated request must be stored")
    }

    @Test("the least recently used answers go first, within the byte budget")
    func eviction() {
        func entry(_ size: Int) -> AnswerCache.Entry {
            AnswerCache.Entry(response: HTTPResponse(status: .ok, body: [UInt8](repeating: 1, count: size)), etag: "")
        }
        // Each entry (a one-byte key, 1,000 bytes, the overhead) takes an eighth of the budget:
        // eight fit. Fill, touch a, then store one more.
        let unit = 1 + 1000 + AnswerCache.overhead
        let cache = AnswerCache(budget: 8 * unit)
        for name in ["a", "b", "c", "d", "e", "f", "g", "h"] { cache.store(entry(1000), for: Self.key(name)) }
        #expect(cache.statistics.entries == 8, "eight entries must fit: \(cache.statistics.entries)")
        #expect(cache.answer(for: Self.key("a")) != nil, "a must still be there")
        cache.store(entry(1000), for: Self.key("i"))
        #expect(cache.answer(for: Self.key("b")) == nil, "b, the least recently used, must be evicted")
        #expect(cache.answer(for: Self.key("a")) != nil, "a was used recently and must stay")
        #expect(
            cache.statistics.bytes <= cache.budget,
            "bytes \(cache.statistics.bytes) over the budget \(cache.budget)"
        )
        cache.store(entry(cache.budget), for: Self.key("huge"))
        #expect(cache.answer(for: Self.key("huge")) == nil, "an entry over an eighth of the budget is not stored")
    }
}
