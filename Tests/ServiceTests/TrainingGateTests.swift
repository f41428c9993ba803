import Testing

@testable import Service

@Suite("training admission")
struct TrainingGateTests {
    @Test func admitsUpToTheLimit() {
        let gate = TrainingGate(limit: 2)
        let inner = gate.run { gate.run { gate.run { "third" } } }
        #expect(inner == .some(.some(nil)), "a third concurrent run must be refused, got \(String(describing: inner))")
        let after = gate.run { "later" }
        #expect(after == "later", "slots are released when runs finish, got \(String(describing: after))")
    }

    @Test func busyIs503WithRetryAfter() {
        var configuration = ServiceConfiguration()
        configuration.maxConcurrentTrainingRuns = 1
        let service = ScheduleService(configuration: configuration)
        let response = service.trainingGate.run {
            call("POST", "/v1/training-runs", TrainingRouteTests.seedLoop, service: service).response
        }
        #expect(
            response?.status == 503,
            "a run while the only slot is taken: expected 503, got \(String(describing: response?.status))"
        )
        #expect(response.flatMap { header($0, "Retry-After") } == "1")
        let free = call("POST", "/v1/training-runs", TrainingRouteTests.seedLoop, service: service)
        #expect(free.status == 200, "with the slot free: expected 200, got \(free.status)")
    }
}
