// swift-tools-version: 6.1
// A model that is not built in, coordinate-checked through maxP's public runner. Depends on maxP by relative path.
import PackageDescription

let package = Package(
    name: "CustomModel",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "maxP", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "custom-model-check", dependencies: [
            .product(name: "MaxP", package: "maxP"),
            .product(name: "MaxPDiagnostics", package: "maxP"),
            .product(name: "MaxPReport", package: "maxP"),
        ]),
    ]
)
