// swift-tools-version:6.0
// ZIPFoundation reading a torch checkpoint, for benchmarks/zip_readers.sh, which runs it beside Cairn's
// own reader (cairn-bench-tensors torch-mapped). A package of its own, so that Cairn does not depend on
// ZIPFoundation.
import PackageDescription

let package = Package(
    name: "zip-readers",
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .executableTarget(name: "zipfoundation-read", dependencies: [
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], path: "Sources/zipfoundation-read"),
    ]
)
