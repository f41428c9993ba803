import HTTPServer
import Synchronization

/// Answers already computed, by the exact request that produced them: a bounded least-recently-
/// used store under a byte budget (`--answer-cache-bytes`).
///
/// An answer is stored the second time its request is seen within a while (a fixed table of
/// 65,536 recent request hashes, the "doorkeeper"), so a stream of requests that never repeat
/// costs a table write each, not an allocation and an eviction: one-off requests never displace
/// the answers that are asked for again.
///
/// Answers are deterministic (the same request gives the same bytes from the same build and
/// limits), so a stored answer is the answer. Keys are the request's bytes themselves (route,
/// query, `Accept`, body), compared in full on every hit: a request that differs in one bit of
/// one number is a different key, never a hit. Entries larger than an eighth of the budget are
/// not stored, so one huge answer cannot flush the rest. Thread-safe: one lock around a hash map
/// and an intrusive doubly linked list kept in arrays (no allocation per hit).
final class AnswerCache: Sendable {
    /// A stored answer: the response as the route rendered it (no request id), and its `ETag`.
    struct Entry: Sendable {
        let response: HTTPResponse
        let etag: String
    }

    /// A request's bytes with their 128-bit hash (the one its `ETag` is made of): the map hashes
    /// the hash, and equality compares the bytes, so a collision can never be a hit.
    struct Key: Hashable, Sendable {
        let hash: UInt128
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(truncatingIfNeeded: hash))
        }

        static func == (a: Key, b: Key) -> Bool {
            a.hash == b.hash && a.bytes == b.bytes
        }
    }

    private struct Node {
        var key: Key
        var entry: Entry
        var size: Int
        var older: Int
        var newer: Int
    }

    private struct Store {
        var index: [Key: Int] = [:]
        var nodes: [Node] = []
        var free: [Int] = []
        /// The most and least recently used nodes (-1: none).
        var newest = -1
        var oldest = -1
        var bytes = 0
        /// Recently seen request hashes (their high 64 bits, low bit set), by their low 16 bits.
        var seen: [UInt64] = []
    }

    /// The byte budget (0: nothing is stored).
    let budget: Int
    private let store: Mutex<Store>
    private let counters = AnswerCacheCounters()

    /// A cache of at most `budget` bytes of keys and answers.
    init(budget: Int) {
        self.budget = max(0, budget)
        var store = Store()
        if budget > 0 { store.seen = [UInt64](repeating: 0, count: 65_536) }
        self.store = Mutex(store)
    }

    /// The answer stored for `key`, now the most recently used; on a miss, whether the request
    /// was seen recently (then its answer is worth storing), recording it either way. One lock.
    func lookup(_ key: Key) -> (entry: Entry?, admitted: Bool) {
        guard budget > 0 else { return (nil, false) }
        let slot = Int(truncatingIfNeeded: key.hash & 0xFFFF)
        let tag = UInt64(truncatingIfNeeded: key.hash >> 64) | 1
        let found: (entry: Entry?, admitted: Bool) = store.withLock { store in
            if let node = store.index[key] {
                Self.unlink(node, in: &store)
                Self.pushNewest(node, in: &store)
                return (store.nodes[node].entry, true)
            }
            defer { store.seen[slot] = tag }
            return (nil, store.seen[slot] == tag)
        }
        if found.entry == nil {
            counters.misses.add(1, ordering: .relaxed)
        } else {
            counters.hits.add(1, ordering: .relaxed)
        }
        return found
    }

    /// The answer stored for `key`, now the most recently used; nil on a miss.
    func answer(for key: Key) -> Entry? {
        lookup(key).entry
    }

    /// What a store did: the entries and bytes held after it, and how many answers it evicted.
    struct Stored {
        let entries: Int
        let bytes: Int
        let evicted: Int
    }

    /// Stores `entry` for `key`, evicting the least recently used answers to stay in budget;
    /// nil when nothing changed (too large, no budget, already stored).
    @discardableResult
    func store(_ entry: Entry, for key: Key) -> Stored? {
        let size = key.bytes.count + entry.response.body.count + Self.overhead
        guard budget > 0, size <= budget / 8 else { return nil }
        var evicted = 0
        let stored: Stored? = store.withLock { store in
            if store.index[key] != nil { return nil }
            while store.bytes + size > budget, store.oldest >= 0 {
                let victim = store.oldest
                Self.unlink(victim, in: &store)
                store.index[store.nodes[victim].key] = nil
                store.bytes -= store.nodes[victim].size
                store.nodes[victim].key = Key(hash: 0, bytes: [])
                store.nodes[victim].entry = Entry(response: HTTPResponse(status: .ok), etag: "")
                store.free.append(victim)
                evicted += 1
            }
            let node = Node(key: key, entry: entry, size: size, older: -1, newer: -1)
            let slot: Int
            if let reused = store.free.popLast() {
                store.nodes[reused] = node
                slot = reused
            } else {
                store.nodes.append(node)
                slot = store.nodes.count - 1
            }
            store.index[key] = slot
            store.bytes += size
            Self.pushNewest(slot, in: &store)
            return Stored(entries: store.index.count, bytes: store.bytes, evicted: evicted)
        }
        if evicted > 0 { counters.evictions.add(evicted, ordering: .relaxed) }
        return stored
    }

    /// Entries and bytes stored now, and hits, misses and evictions so far.
    var statistics: (entries: Int, bytes: Int, hits: Int, misses: Int, evictions: Int) {
        let (entries, bytes) = store.withLock { ($0.index.count, $0.bytes) }
        return (
            entries, bytes, counters.hits.load(ordering: .relaxed), counters.misses.load(ordering: .relaxed),
            counters.evictions.load(ordering: .relaxed)
        )
    }

    /// What an entry costs beyond its key and body: headers, the node, the index slot.
    static let overhead = 1024

    private static func unlink(_ slot: Int, in store: inout Store) {
        let (older, newer) = (store.nodes[slot].older, store.nodes[slot].newer)
        if older >= 0 { store.nodes[older].newer = newer } else if store.oldest == slot { store.oldest = newer }
        if newer >= 0 { store.nodes[newer].older = older } else if store.newest == slot { store.newest = older }
        store.nodes[slot].older = -1
        store.nodes[slot].newer = -1
    }

    private static func pushNewest(_ slot: Int, in store: inout Store) {
        store.nodes[slot].older = store.newest
        store.nodes[slot].newer = -1
        if store.newest >= 0 { store.nodes[store.newest].newer = slot }
        store.newest = slot
        if store.oldest < 0 { store.oldest = slot }
    }
}

/// The cache's counters, outside its lock.
private final class AnswerCacheCounters: Sendable {
    let hits = Atomic<Int>(0)
    let misses = Atomic<Int>(0)
    let evictions = Atomic<Int>(0)
}
