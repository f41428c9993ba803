import Metrics
import Prometheus
import Service

#if canImport(Glibc)
import Glibc
#endif

/// Metrics for Prometheus: swift-metrics bootstrapped with swift-prometheus, plus the build-info
/// and process gauges (resident memory, CPU seconds, open descriptors, start time), which are
/// read from `/proc` when scraped.
enum Telemetry {
    /// Latency buckets of `lrsched_http_request_duration_seconds`: a schedule answers in tens of
    /// microseconds, a training run in seconds.
    static let durationBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10),
    ]

    /// Bootstraps the metrics system (once per process) and returns the exposition for `/metrics`.
    static func bootstrap() -> @Sendable () -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["lrsched_http_request_duration_seconds"] = durationBuckets
        MetricsSystem.bootstrap(factory)
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "lrsched",
                metricName: "build",
                unitName: "info",
                helpText: "Always 1; the version is the label."
            ),
            labels: [("version", LRSchedVersion.current)]
        ).set(to: 1.0)
        let process = ProcessGauges(registry: registry)
        return {
            process.update()
            return registry.emitToBuffer()
        }
    }
}

/// The standard `process_*` gauges, read from `/proc/self` at scrape time.
struct ProcessGauges: Sendable {
    let residentMemory: Prometheus.Gauge
    let virtualMemory: Prometheus.Gauge
    let cpuSeconds: Prometheus.Gauge
    let openFDs: Prometheus.Gauge
    let maxFDs: Prometheus.Gauge
    let startTime: Prometheus.Gauge

    init(registry: PrometheusCollectorRegistry) {
        residentMemory = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "resident_memory",
                unitName: "bytes",
                helpText: "Resident memory size in bytes."
            )
        )
        virtualMemory = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "virtual_memory",
                unitName: "bytes",
                helpText: "Virtual memory size in bytes."
            )
        )
        cpuSeconds = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "cpu_seconds",
                unitName: "total",
                helpText: "Total user and system CPU time spent in seconds."
            )
        )
        openFDs = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "open",
                unitName: "fds",
                helpText: "Number of open file descriptors."
            )
        )
        maxFDs = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "max",
                unitName: "fds",
                helpText: "Maximum number of open file descriptors."
            )
        )
        startTime = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "start_time",
                unitName: "seconds",
                helpText: "Start time of the process since unix epoch in seconds."
            )
        )
        if let stat = Self.stat(), let boot = Self.bootTime() {
            startTime.set(to: boot + stat.startTicks / Self.ticksPerSecond)
        }
    }

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    static let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    func update() {
        if let stat = Self.stat() {
            cpuSeconds.set(to: (stat.userTicks + stat.systemTicks) / Self.ticksPerSecond)
            virtualMemory.set(to: stat.virtualBytes)
            residentMemory.set(to: stat.residentPages * Self.pageSize)
        }
        if let entries = SystemIO.countEntries("/proc/self/fd") {
            openFDs.set(to: Double(entries))
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            maxFDs.set(to: Double(limit.rlim_cur))
        }
    }

    /// The fields of `/proc/self/stat` used here.
    static func stat() -> (
        userTicks: Double, systemTicks: Double, startTicks: Double, virtualBytes: Double, residentPages: Double
    )? {
        guard let bytes = SystemIO.readFile("/proc/self/stat"), case let text = String(decoding: bytes, as: UTF8.self),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name, which is in parentheses and may hold spaces: the state is
        // field 3, so field n is at index n - 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ n: Int) -> Double? { n - 3 < fields.count ? Double(fields[n - 3]) : nil }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23),
            let resident = field(24)
        else { return nil }
        return (user, system, start, virtual, resident)
    }

    /// The system's boot time in Unix seconds (`btime` in `/proc/stat`).
    static func bootTime() -> Double? {
        guard let bytes = SystemIO.readFile("/proc/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmedSpaces)
        }
        return nil
    }
}
