// maxp-bench: speed targets as ratios against baselines measured in the same run (raw CBLAS, a plain training step).
// Usage: maxp-bench [core] [lp] [alignment] [rng] [sweep] [analyze] [gpt] [gpt-step] [all]   (default: all).
// Build with -c release.
import Foundation
import MaxP

// OpenBLAS falls back to SSE3 kernels on CPUs it does not know (Debian 0.3.21 on Intel model 207): restart with the
// right ones, so that every figure below is measured with the kernels this CPU supports.
ComputeEnvironment.restartWithRecommendedBLASKernels()

if CommandLine.arguments.count == 3, CommandLine.arguments[1] == GPTBenchmark.childMode, let steps = Int(CommandLine.arguments[2]) {
    BLASThreads.set(1)
    do {
        try GPTBenchmark.childMain(steps: steps)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("maxp-bench: GPT sweep failed: \(error)\n".utf8))
        exit(1)
    }
}

let arguments = Set(CommandLine.arguments.dropFirst())
func wants(_ name: String) -> Bool { arguments.isEmpty || arguments.contains("all") || arguments.contains(name) }

BLASThreads.set(1)
let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (OPENBLAS_CORETYPE=\($0))" } ?? ""
print("maxp-bench — OpenBLAS core \(BLASThreads.coreName)\(coreType), \(BLASThreads.current) thread(s)")

if wants("core") {
    print("\n== Core: Linear forward+backward vs three raw cblas_sgemm calls; Adam step of a 4-layer MLP ==")
    print(CoreBenchmark.table(CoreBenchmark.run()))
}

if wants("lp") {
    print("\n== Exponent LP: build + solve (median of 200) — reference PuLP/CBC: 16 ms (12 layers), 43 ms (48 layers) ==")
    let reference: [String: Double] = ["lp_chain_12_": 16, "lp_chain_48_": 43]
    for (label, ms) in runLPBenchmark() {
        let ref = reference.first { label.hasPrefix($0.key) }?.value
        let speedup = ref.map { String(format: "  (reference %.0f ms: %.0f× faster)", $0, $0 / ms) } ?? ""
        print(label.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%9.4f ms", ms) + speedup)
    }
}

if wants("alignment") {
    print("\n== Dynamic alignment: one step() (capture + alignment of every layer + LP) vs one training step ==")
    do {
        print(AlignmentBenchmark.report(try AlignmentBenchmark.run()))
    } catch {
        print("alignment benchmark failed: \(error)")
    }
}

if wants("rng") {
    print("\n== Weight initialization: batched normal draws (3072 × 2048, best of 3) ==")
    print(RandomBenchmark.report())
}

if wants("sweep") {
    print("\n== Reference coord-check sweep (MLP 3072→w→w→w→10, widths 64…2048, 3 seeds, 3 Adam steps, batch 64, µP) "
          + "vs its pure GEMM time (best of 3) ==")
    do {
        print(try SweepBenchmark.run())
    } catch {
        print("sweep benchmark failed: \(error)")
    }
}

if wants("analyze") {
    print("\n== maxp-diagnose analyze: a generated 100k-row coord-check CSV, beyond reading it (best of 3) ==")
    do {
        print(try AnalyzeBenchmark.report())
    } catch {
        print("analyze benchmark failed: \(error)")
    }
}

if wants("gpt") {  // `gpt-step` alone skips the sweep
    print("\n== GPT coord-check sweep (widths \(GPTBenchmark.sweepWidths.map(String.init).joined(separator: ",")), 1 seed, "
          + "2 blocks, µP, Adam) at \(GPTBenchmark.sweepSteps.map(String.init).joined(separator: "/")) steps, each in "
          + "a fresh process: peak RSS and time per step must stay flat ==")
    do {
        print(try GPTBenchmark.sweepReport())
    } catch {
        print("GPT sweep benchmark failed: \(error)")
    }
}

if wants("gpt") || arguments.contains("gpt-step") {
    print("\n== GPT Adam training step vs PyTorch (same model, same thread count, measured in this run) ==")
    do {
        print(try GPTBenchmark.stepReport())
    } catch {
        print("GPT step benchmark failed: \(error)")
    }
}
