// swift-tools-version:6.0
import PackageDescription

import Foundation

/// CPU the release build targets on x86-64: `haswell` (AVX2 + FMA) by default, which every
/// machine this project runs on has (development, CI, the GPU hosts) and which makes the SIMD
/// kernels (exponential, logarithm, powers) about 1.7× faster (shared/spec/swift-compute.md §2);
/// `HEBB_TARGET_CPU=x86-64 swift build -c release` builds for any x86-64 (a haswell binary stops
/// with SIGILL on a CPU without AVX2).
let targetCPU: [String] = {
    #if arch(x86_64)
        let cpu = ProcessInfo.processInfo.environment["HEBB_TARGET_CPU"] ?? "haswell"
        return cpu.isEmpty ? [] : ["-target-cpu", cpu]
    #else
        return []
    #endif
}()

/// Release-only flags for numeric code (see shared/spec/swift-compute.md §2).
let numericFlags: [SwiftSetting] = [
    .unsafeFlags(
        ["-enforce-exclusivity=unchecked", "-cross-module-optimization"] + targetCPU,
        .when(configuration: .release))
]

let package = Package(
    name: "hebb",
    products: [
        .executable(name: "hebb", targets: ["hebb"]),
        .executable(name: "hebb-bench", targets: ["hebb-bench"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        // CUDA entry points as function-pointer types (our header); libraries are dlopen'ed at run
        // time, so building needs no CUDA (shared/README.md: the CUDA decision).
        .systemLibrary(name: "CCUDA", path: "Sources/CCUDA"),
        .systemLibrary(
            name: "CJPEG", path: "Sources/CJPEG",
            providers: [.apt(["libjpeg62-turbo-dev"])]),
        // libjpeg's error_exit must longjmp, which Swift cannot do: this small C target does.
        .target(name: "CJPEGShim", dependencies: ["CJPEG"], linkerSettings: [.linkedLibrary("jpeg")]),
        // printf-style formatting, trimming, padding, path strings and fd writes: what the
        // executable would otherwise take from full Foundation (it links FoundationEssentials only).
        .target(name: "HebbText"),
        .target(name: "HebbTensor", dependencies: ["COpenBLAS", "HebbText"], swiftSettings: numericFlags),
        .target(
            name: "HebbData", dependencies: ["HebbTensor", "HebbText", "CZlib", "CJPEG", "CJPEGShim"], swiftSettings: numericFlags),
        .target(name: "HebbRules", dependencies: ["HebbTensor", "HebbText"], swiftSettings: numericFlags),
        .target(name: "HebbModel", dependencies: ["HebbTensor", "HebbText"], swiftSettings: numericFlags),
        // PNG pictures, plots and TensorBoard event encoding; needs nothing but zlib (and HebbText).
        .target(name: "HebbVisual", dependencies: ["CZlib", "HebbText"], swiftSettings: numericFlags),
        .target(name: "HebbCUDA", dependencies: ["HebbTensor", "CCUDA"], swiftSettings: numericFlags),
        .target(
            name: "HebbExperiment",
            dependencies: ["HebbTensor", "HebbText", "HebbData", "HebbRules", "HebbModel", "HebbVisual", "HebbCUDA"],
            swiftSettings: numericFlags),
        .target(name: "HebbCLI", dependencies: ["HebbExperiment", "HebbText"]),
        .executableTarget(name: "hebb", dependencies: ["HebbCLI"]),
        .executableTarget(
            name: "hebb-bench", dependencies: ["HebbExperiment"], path: "Sources/HebbBench",
            swiftSettings: numericFlags),
        .target(name: "HebbTestSupport", dependencies: ["HebbTensor", "CJPEGShim"]),
        .testTarget(name: "HebbTextTests", dependencies: ["HebbText"]),
        .testTarget(name: "HebbTensorTests", dependencies: ["HebbTensor", "HebbTestSupport"]),
        .testTarget(
            name: "HebbDataTests", dependencies: ["HebbData", "HebbTestSupport"],
            resources: [.copy("Golden")]),
        .testTarget(
            name: "HebbRulesTests", dependencies: ["HebbRules", "HebbTestSupport"],
            resources: [.copy("Golden")]),
        .testTarget(name: "HebbVisualTests", dependencies: ["HebbVisual", "CZlib"]),
        .testTarget(name: "HebbModelTests", dependencies: ["HebbModel", "HebbTestSupport"]),
        .testTarget(
            name: "HebbExperimentTests",
            dependencies: ["HebbExperiment", "HebbVisual", "HebbTestSupport"]),
        .testTarget(name: "HebbCUDATests", dependencies: ["HebbCUDA", "HebbTestSupport"]),
        .testTarget(name: "HebbCLITests", dependencies: ["HebbCLI", "HebbVisual", "HebbTestSupport"]),
    ]
)
