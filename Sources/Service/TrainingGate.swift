import Synchronization

/// Admits at most `limit` training runs at once, so that long runs cannot occupy every server
/// thread and starve health checks and schedule requests.
final class TrainingGate: Sendable {
    private let running = Atomic<Int>(0)
    /// How many runs may execute at the same time.
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` if a slot is free; returns nil (without running it) when all slots are taken.
    func run<T>(_ body: () -> T) -> T? {
        let now = running.add(1, ordering: .acquiringAndReleasing).newValue
        defer { running.subtract(1, ordering: .acquiringAndReleasing) }
        guard now <= limit else { return nil }
        return body()
    }
}
