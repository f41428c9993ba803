import Synchronization

/// The service's version, reported by `/healthz`, `lrsched --version` and `lrsched_build_info`
/// (openapi.yaml's `info.version` matches it; a test checks).
public enum LRSchedVersion {
    /// The version string.
    public static let current = "1.2.0"
}

/// Whether the service wants new traffic: ready until a stop begins (`GET /readyz` answers 503
/// from then on, so a load balancer takes the instance out while it still serves).
public final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    /// A ready service.
    public init() {}

    /// Whether new traffic is welcome.
    public var isReady: Bool { !draining.load(ordering: .acquiring) }

    /// Marks the service as stopping; `/readyz` answers 503 from now on.
    public func beginDraining() {
        draining.store(true, ordering: .releasing)
    }
}
