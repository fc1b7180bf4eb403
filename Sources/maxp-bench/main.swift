// maxp-bench: speed targets as ratios against baselines measured in the same run (raw CBLAS, a plain training step,
// and — when MAXP_REFERENCE_PYTHON names a Python with torch and mup — PyTorch / mup doing the same work).
// Usage: maxp-bench [core] [lp] [alignment] [rng] [sweep] [lr-transfer] [analyze] [gpt] [gpt-step] [all]
// (default: all).
// Build with -c release.
import Foundation
import MaxP

// OpenBLAS falls back to SSE3 kernels on CPUs it does not know (Debian 0.3.21 on Intel model 207): switch to the
// ones this CPU supports before any matrix product, so that every figure below is measured with them.
let core = BLASCoreSelection.selectForThisCPU()
// The allocator settings of the runners (one arena, freed memory kept), before any thread allocates: ours and the
// baselines below run under the same allocator.
ComputeEnvironment.retainFreedTensorMemory()

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
print("maxp-bench — \(core), \(BLASThreads.current) thread(s)")

let reference: ReferencePython?
do {
    reference = wants("core") || wants("sweep") || wants("gpt") || arguments.contains("gpt-step")
        ? try ReferencePython.fromEnvironment() : nil
} catch {
    FileHandle.standardError.write(Data("maxp-bench: \(error)\n".utf8))
    exit(2)
}
if let reference {
    print("reference interpreter: \(reference.executable) (\(reference.versions))")
} else {
    print("no reference interpreter (\(ReferencePython.environmentVariable) unset): our numbers and the GEMM bound only")
}

if wants("core") {
    print("\n== Core: Linear forward+backward vs three raw cblas_sgemm calls; Adam step of a 4-layer MLP "
          + "(vs PyTorch, 1 thread, same run) ==")
    do {
        print(CoreBenchmark.table(try CoreBenchmark.run(reference: reference)))
    } catch {
        print("core benchmark failed: \(error)")
    }
}

if wants("lp") {
    print("\n== Exponent LP: build + solve (median of 200) ==")
    for (label, ms) in runLPBenchmark() {
        print(label.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%9.4f ms", ms))
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
          + "vs its pure GEMM time and mup's sweep (best of 5) ==")
    do {
        print(try SweepBenchmark.run(repetitions: 5, reference: reference))
    } catch {
        print("sweep benchmark failed: \(error)")
    }
}

if wants("lr-transfer") {
    print("\n== LR-transfer grid: trainings/s with one initialization per (parametrization, width, seed) vs each "
          + "training built afresh (best of 3) ==")
    do {
        print(try LRTransferBenchmark.report())
    } catch {
        print("lr-transfer benchmark failed: \(error)")
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
        print(try GPTBenchmark.stepReport(reference: reference))
    } catch {
        print("GPT step benchmark failed: \(error)")
    }
}
