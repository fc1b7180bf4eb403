// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "maxP",
    platforms: [.macOS(.v14)],
    products: [
        // MARK: - Public API
        .library(name: "MaxP", targets: ["MaxP"]),
        .library(name: "MaxPDiagnostics", targets: ["MaxPDiagnostics"]),
        .library(name: "MaxPPlot", targets: ["MaxPPlot"]),
        .library(name: "MaxPReport", targets: ["MaxPReport"]),
        .executable(name: "maxp-diagnose", targets: ["maxp-diagnose"]),
        .executable(name: "maxp-bench", targets: ["maxp-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: - System libraries (Debian packages; see .ci/run)
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        // libxml2's XML Schema validator, for the tests only (the JUnit report is validated against a schema).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // MARK: - Support below all: the one atomic file writer, JSON setup, decoding-error text, line splitter
        .target(name: "_MaxPSupport", path: "Sources/_MaxPSupport"),

        // MARK: - Layers, bottom to top: core → diagnostics → plot/report → CLI
        // Vectorized float kernels (GELU, layer norm, Adam) built for AVX-512 / AVX2 / baseline, picked at run time.
        .target(name: "CMaxPKernels", path: "Sources/CMaxPKernels"),
        .target(name: "MaxP", dependencies: ["CBLAS", "CGLPK", "CMaxPKernels", "_MaxPSupport"]),
        .target(name: "MaxPDiagnostics", dependencies: [
            "MaxP", "_MaxPSupport",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "MaxPPlot", dependencies: ["CCairo", "_MaxPSupport"]),
        .target(name: "MaxPReport", dependencies: [
            "MaxP", "MaxPDiagnostics", "MaxPPlot", "_MaxPSupport",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .executableTarget(name: "maxp-diagnose", dependencies: [
            "MaxP", "MaxPDiagnostics", "MaxPPlot", "MaxPReport", "_MaxPSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "maxp-bench", dependencies: ["MaxP", "MaxPDiagnostics", "CBLAS"]),

        // MARK: - Test support (fixture locator, subprocess runner, test RNG; used by tests only)
        .target(name: "_MaxPTestSupport", path: "Sources/_MaxPTestSupport"),

        // MARK: - Tests (mirror the sources)
        .testTarget(name: "_MaxPSupportTests", dependencies: ["_MaxPSupport"]),
        .testTarget(name: "MaxPTests", dependencies: ["MaxP", "CBLAS", "_MaxPTestSupport"]),
        .testTarget(name: "MaxPDiagnosticsTests", dependencies: ["MaxPDiagnostics", "MaxP", "_MaxPTestSupport", "CLibXML2"]),
        .testTarget(name: "MaxPPlotTests", dependencies: ["MaxPPlot"]),
        .testTarget(name: "MaxPReportTests", dependencies: ["MaxPReport", "MaxPDiagnostics", "MaxPPlot", "MaxP", "_MaxPSupport", "_MaxPTestSupport"]),
        .testTarget(name: "MaxPDiagnoseTests", dependencies: ["maxp-diagnose", "_MaxPTestSupport"]),
    ]
)
