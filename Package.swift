// swift-tools-version: 6.0
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode with strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "lrsched",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lrsched", targets: ["lrsched"]),
        .library(name: "Schedules", targets: ["Schedules"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
    ],
    targets: [
        // The only C in the project: fixed-arity wrappers over libmicrohttpd.
        .target(
            name: "CMicroHTTPD",
            linkerSettings: [.linkedLibrary("microhttpd"), .linkedLibrary("z")]
        ),
        .target(
            name: "HTTPServer",
            dependencies: ["CMicroHTTPD", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: swiftSettings
        ),
        .target(name: "JSON", swiftSettings: swiftSettings),
        // XLA's own float32 elementary functions (exp, log), as jit-compiled JAX computes them.
        .target(name: "Float32Math", swiftSettings: swiftSettings),
        .target(name: "Schedules", dependencies: ["JSON", "Float32Math"], swiftSettings: swiftSettings),
        // OpenBLAS's CBLAS (a system library: a module map, no C of our own) for training's matrix products.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libopenblas-serial-dev"])]),
        .target(name: "Training", dependencies: ["JSON", "Schedules", "CBLAS"], swiftSettings: swiftSettings),
        .target(
            name: "Service",
            dependencies: [
                "JSON", "Schedules", "Training", "HTTPServer",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            // Served by the binary itself (GET /openapi.yaml, GET /): compiled in, no files to ship.
            resources: [.embedInCode("Assets/openapi.yaml"), .embedInCode("Assets/playground.html")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "lrsched",
            dependencies: [
                "Service", "HTTPServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // In-process figures for scripts/bench.sh (measurements, not tests).
        .executableTarget(
            name: "lrsched-bench",
            dependencies: ["Schedules", "JSON", "Training", "Service", "HTTPServer"],
            path: "Benchmarks/lrsched-bench",
            swiftSettings: swiftSettings
        ),
        // A raw-socket HTTP/1.1 client shared by the end-to-end tests.
        .target(name: "HTTPTestClient", path: "Tests/HTTPTestClient", swiftSettings: swiftSettings),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer", "HTTPTestClient"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JSONTests",
            dependencies: ["JSON"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "Float32MathTests",
            dependencies: ["Float32Math", "JSON"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SchedulesTests",
            dependencies: ["Schedules", "JSON"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Schedules", "JSON"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LRSchedTests",
            dependencies: ["lrsched", "JSON"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceTests",
            dependencies: ["Service", "Schedules", "HTTPServer", "JSON", "HTTPTestClient"],
            swiftSettings: swiftSettings
        ),
    ]
)
