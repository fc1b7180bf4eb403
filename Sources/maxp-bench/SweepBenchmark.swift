import CBLAS
import Dispatch
import Foundation
import MaxP
import MaxPDiagnostics

/// The reference coordinate-check sweep against its pure matrix-product time, measured in one run.
///
/// Sweep: MLP 3072 → w → w → w → 10 (ReLU, no bias), widths 64…2048, 3 seeds, 3 Adam steps, one fixed batch of 64,
/// µP — exactly `maxp-diagnose coord-check --model mlp --input-dim 3072 --depth 3 --output-dim 10 --batch 64
/// --widths 64,128,256,512,1024,2048 --seeds 3 --steps 3 --optimizer adam --parametrization mup`.
/// Baseline: the same jobs' necessary GEMMs as raw `cblas_sgemm` calls with the same job parallelism (4 forwards
/// and 3 backwards per job: `x·Wᵀ` per layer; `gᵀ·x` per layer and `g·W` except into the data), one BLAS thread
/// per job. Python originals (timings.md): `mup` 1.6–1.8 s, maxP 2.1–2.4 s.
enum SweepBenchmark {
    /// The measured numbers.
    struct Result: Sendable, CustomStringConvertible {
        /// Best wall time of the sweep (s).
        var sweepSeconds: Double
        /// Best wall time of the GEMM baseline (s).
        var gemmSeconds: Double
        /// sweep / GEMM (target ≤ 1.6).
        var ratio: Double { sweepSeconds / gemmSeconds }
        /// Speed-up over the Python originals (timings.md: `mup` 1.6–1.8 s, maxP 2.1–2.4 s; fastest 1.6 s).
        func speedup(over pythonSeconds: Double) -> Double { pythonSeconds / sweepSeconds }

        var description: String {
            String(format: "reference coord-check sweep: %.3f s; pure GEMM (same matmuls, raw cblas_sgemm, same run) "
                   + "%.3f s; ratio %.2f× (target ≤ 1.6×)\n"
                   + "vs the Python originals 1.6–2.4 s (mup 1.6–1.8 s, maxP 2.1–2.4 s): %.2f×–%.2f× faster "
                   + "(target ≥ 2× over 1.6 s, i.e. ≤ 0.8 s)",
                   sweepSeconds, gemmSeconds, ratio, speedup(over: 1.6), speedup(over: 2.4))
        }
    }

    /// The reference plan.
    static let plan = SweepPlan(
        model: ModelOptions(family: .mlp, inputDimension: 3072, depth: 3, outputDimension: 10, batch: 64),
        training: TrainingOptions(parametrization: .mup, optimizer: .adam, learningRate: 1e-3),
        values: [64, 128, 256, 512, 1024, 2048], seeds: [0, 1, 2], steps: 3)

    /// Runs both `repetitions` times and keeps the best of each.
    static func run(repetitions: Int = 3) throws -> Result {
        var sweep = Double.infinity, gemm = Double.infinity
        for _ in 0..<repetitions {
            let start = Date()
            _ = try SweepRunner.run(plan)
            sweep = min(sweep, Date().timeIntervalSince(start))
            gemm = min(gemm, gemmBaseline())
        }
        return Result(sweepSeconds: sweep, gemmSeconds: gemm)
    }

    /// The pure GEMM time of the sweep's jobs (same parallelism, one BLAS thread).
    static func gemmBaseline() -> Double {
        let previous = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(previous) }
        let jobs = plan.allJobs.sorted { $0.axisValue > $1.axisValue }
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let w = jobs[index].axisValue
            let batch = 64, sizes = [3072, w, w, w, 10]
            let weights = (0..<4).map { [Float](repeating: 0.01, count: sizes[$0] * sizes[$0 + 1]) }
            var activations = (0..<5).map { [Float](repeating: 0.5, count: batch * sizes[$0]) }
            var weightGradient = weights
            var inputGradient = activations
            for pass in 0..<(plan.steps * 2 + 1) {
                let backward = pass % 2 == 1
                for layer in 0..<4 {
                    let (k, n) = (sizes[layer], sizes[layer + 1])
                    if !backward {
                        gemm(false, true, batch, n, k, activations[layer], weights[layer], &activations[layer + 1])
                    } else {
                        gemm(true, false, n, k, batch, activations[layer + 1], activations[layer], &weightGradient[layer])
                        if layer > 0 { gemm(false, false, batch, k, n, activations[layer + 1], weights[layer], &inputGradient[layer]) }
                    }
                }
            }
        }
        return Date().timeIntervalSince(start)
    }

    private static func gemm(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: [Float], _ b: [Float],
                             _ c: inout [Float]) {
        let lda = ta ? m : k, ldb = tb ? k : n
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1, ap.baseAddress, Int32(lda), bp.baseAddress, Int32(ldb),
                                0, cp.baseAddress, Int32(n))
                }
            }
        }
    }
}
