// swift-tools-version:6.1
// Cairn builds on Linux only: the library uses glibc, /proc, CLOCK_REALTIME_COARSE and
// sync_file_range/syncfs (see README.md).
import PackageDescription

/// One set of Swift settings for every target (STYLE.md §5).
let commonSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

var package = Package(
    name: "cairn",
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
        .library(name: "CairnKit", targets: ["CairnKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own dependencies, named for one channel handler (ExpectContinueHandler).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // `swift package generate-documentation --target CairnKit` (the DocC catalog); a build-time
        // plugin only, no product of it is linked into any target.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // postgres-nio's TLS, named for its client configuration (sslmode=prefer/require).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Value types shared by every module: names, ids, records, layouts, config values.
        .target(name: "CairnCore"),
        // Pure codecs: config YAML/JSON (Yams lives here and only here).
        .target(name: "CairnFormats", dependencies: [
            "CairnCore", "CCRC32C",
            .product(name: "Yams", package: "Yams"),
        ]),
        // The store: experiments, runs, leases, exec, checkpoints, metrics, adoption and migration.
        // The system's libcrypto (OpenSSL's SHA-256, with the CPU's SHA extensions) is used here only.
        // swift-log: the library logs the faults it survives through the Logger its caller gives the store.
        .target(name: "CairnKit", dependencies: [
            "CairnCore", "CairnFormats", "CairnIndex", "CairnIndexPostgres", "CCairnNative",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The index of runs: a cache behind one async interface (RunIndex), embedded SQLite through GRDB
        // (GRDB lives here and only here).
        .target(name: "CairnIndex", dependencies: [
            "CairnCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The index in a PostgreSQL database, for several servers and hosts sharing one store: the same
        // async interface and queries as the SQLite index (postgres-nio lives here and only here).
        .target(name: "CairnIndexPostgres", dependencies: [
            "CairnCore", "CairnIndex", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The web UI's files (Sources/CairnWebUI/assets: HTML, CSS, JS, no build step), embedded in the
        // binary as Swift byte arrays by our build-tool plugin, so the README's `cp` install keeps them.
        .target(name: "CairnWebUI", exclude: ["assets"], plugins: ["EmbedWebAssets"]),
        // The build-tool plugin and the tool it runs: each asset file becomes a `[UInt8]` in generated Swift.
        .plugin(name: "EmbedWebAssets", capability: .buildTool(), dependencies: ["cairn-embed-assets"]),
        .executableTarget(name: "cairn-embed-assets", path: "Plugins/cairn-embed-assets"),
        // The HTTP server (`cairn serve`): MLflow's tracking API on a store, Cairn's JSON API and the web UI
        // (Hummingbird lives here and only here).
        .target(name: "CairnServer", dependencies: [
            "CairnCore", "CairnFormats", "CairnKit", "CairnWebUI", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // CRC-32C with the CPU's instruction (TensorBoard event files); CairnFormats falls back to tables.
        .target(name: "CCRC32C", path: "Sources/CCRC32C"),
        .systemLibrary(name: "CCairnNative", path: "Sources/CCairnNative", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // The demo trainer (a tiny MLP on spirals, the legacy-tree showcase, a replay through the MLflow
        // server), a client of the store.
        .target(name: "CairnDemo", dependencies: [
            "CairnCore", "CairnFormats", "CairnIndex", "CairnKit", "CairnServer", .product(name: "Logging", package: "swift-log"),
        ]),
        // The CLI: parse arguments, call CairnKit, print. ArgumentParser lives here only.
        .executableTarget(name: "cairn", dependencies: [
            "CairnKit", "CairnIndex", "CairnDemo", "CairnServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmark helper: fills a store quickly through the library (not part of CI).
        .executableTarget(name: "cairn-bench", dependencies: ["CairnCore", "CairnIndex", "CairnKit"], path: "benchmarks/Sources/cairn-bench"),
        // Benchmark: load a 100,000-entry checkpoint manifest and plan what to keep.
        .executableTarget(name: "cairn-bench-manifest", dependencies: ["CairnCore", "CairnFormats"],
                          path: "benchmarks/Sources/cairn-bench-manifest"),
        // Benchmark: metric logging (CSV, live event files) and event files written and read.
        .executableTarget(name: "cairn-bench-metrics", dependencies: ["CairnCore", "CairnFormats", "CairnKit"], path: "benchmarks/Sources/cairn-bench-metrics"),
        // Benchmark: a safetensors file read memory-mapped against read(2), each tensor checksummed.
        .executableTarget(name: "cairn-bench-tensors", dependencies: ["CairnCore", "CairnFormats", "CairnKit"], path: "benchmarks/Sources/cairn-bench-tensors"),

        .target(name: "CairnTestSupport", dependencies: ["CairnCore"], path: "Tests/CairnTestSupport"),
        .testTarget(name: "CairnIndexTests", dependencies: ["CairnCore", "CairnIndex", "CairnIndexPostgres", "CairnTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore", "CairnTestSupport"]),
        .testTarget(name: "CairnFormatsTests", dependencies: ["CairnFormats", "CairnTestSupport"]),
        .testTarget(name: "CairnKitTests", dependencies: [
            "CairnKit", "CairnTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CairnDemoTests", dependencies: ["CairnCore", "CairnDemo", "CairnKit", "CairnTestSupport"]),
        .testTarget(name: "CairnServerTests", dependencies: ["CairnServer", "CairnCore", "CairnWebUI", "CairnTestSupport"]),
        .testTarget(name: "CairnCLITests", dependencies: ["cairn", "cairn-bench", "CairnTestSupport"], exclude: ["Golden"]),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin && target.name != "CCRC32C" {
    target.swiftSettings = (target.swiftSettings ?? []) + commonSettings
}
