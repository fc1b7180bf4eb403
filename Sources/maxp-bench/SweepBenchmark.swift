import CBLAS
import Dispatch
import Foundation
import MaxP
import MaxPDiagnostics

/// The reference coordinate-check sweep against its pure matrix-product time and, with a reference interpreter,
/// against mup's own warm in-process sweep of the same MLP — all measured in one run.
///
/// Sweep: MLP 3072 → w → w → w → 10 (ReLU, no bias), widths 64…2048, 3 seeds, 3 Adam steps, one fixed batch of 64,
/// µP — exactly `maxp-diagnose coord-check --model mlp --input-dim 3072 --depth 3 --output-dim 10 --batch 64
/// --widths 64,128,256,512,1024,2048 --seeds 3 --steps 3 --optimizer adam --parametrization mup`.
/// GEMM-only bound: the same jobs' necessary GEMMs as raw `cblas_sgemm` calls with the same job parallelism (4
/// forwards and 3 backwards per job: `x·Wᵀ` per layer; `gᵀ·x` per layer and `g·W` except into the data), one BLAS
/// thread per job; a second baseline adds the initial normal draws and the Adam updates of the same parameters, the
/// weight gradients handed to `Adam` as their factors as the sweep's backward pass hands them (each block of `gᵀ·x`
/// computed and applied while in cache).
/// mup: `get_coord_data` on the same model and batch (``ReferenceScript``), torch using as many
/// threads as our sweep uses cores. They alternate, best of `repetitions` each, so they share the machine's load.
enum SweepBenchmark {
    /// The measured numbers.
    struct Result: Sendable, CustomStringConvertible {
        /// Best wall time of the sweep (s).
        var sweepSeconds: Double
        /// Best wall time of the GEMM baseline (s).
        var gemmSeconds: Double
        /// Best wall time of the GEMM baseline plus the initial draws and the Adam updates (s).
        var floorSeconds: Double
        /// Best wall time of mup's warm in-process sweep (s), when a reference interpreter was given.
        var mupSeconds: Double?
        /// Torch threads of the mup sweep.
        var mupThreads: Int
        /// Least processor time (user + system, every thread) of a sweep (s).
        var sweepCPUSeconds: Double
        /// Least processor time of a GEMM baseline (s).
        var gemmCPUSeconds: Double
        /// Processors the jobs run on.
        var processors: Int
        /// sweep / GEMM (target ≤ 1.3).
        var ratio: Double { sweepSeconds / gemmSeconds }
        /// mup / sweep (target ≥ 2).
        var speedupOverMup: Double? { mupSeconds.map { $0 / sweepSeconds } }

        var description: String {
            var text = String(format: "reference coord-check sweep: %.3f s; GEMM-only bound (same matmuls, raw "
                              + "cblas_sgemm, same run) %.3f s; ratio %.2f× (target ≤ 1.3×)",
                              sweepSeconds, gemmSeconds, ratio)
            text += String(format: "\nthe same GEMMs plus every weight's normal draws and the Adam updates (library "
                           + "kernels, same run) %.3f s; sweep / that floor %.2f×; the floor / GEMM-only %.2f×",
                           floorSeconds, sweepSeconds / floorSeconds, floorSeconds / gemmSeconds)
            text += String(format: "\nprocessor time (user + system, all threads): sweep %.3f s = %.0f %% of %d × its wall "
                           + "time; GEMM-only %.3f s; sweep / GEMM-only %.2f×", sweepCPUSeconds,
                           100 * sweepCPUSeconds / (Double(processors) * sweepSeconds), processors, gemmCPUSeconds,
                           sweepCPUSeconds / gemmCPUSeconds)
            if let mupSeconds, let speedup = speedupOverMup {
                text += String(format: "\nmup get_coord_data, warm in-process (torch %d threads, same run): %.3f s; "
                               + "ours %.2f× faster (target ≥ 2×)", mupThreads, mupSeconds, speedup)
            } else {
                text += "\n(mup not measured: set \(ReferencePython.environmentVariable) to a Python with torch and mup)"
            }
            return text
        }
    }

    /// The reference plan.
    static let plan = SweepPlan(
        model: ModelOptions(family: .mlp, inputDimension: 3072, depth: 3, outputDimension: 10, batch: 64),
        training: TrainingOptions(parametrization: .mup, optimizer: .adam, learningRate: 1e-3),
        values: [64, 128, 256, 512, 1024, 2048], seeds: [0, 1, 2], steps: 3)

    /// Runs ours, the GEMM bound and (when given) mup's sweep `repetitions` times, alternating, and keeps the best of
    /// each; mup's first sweep in its process is an untimed warm-up.
    static func run(repetitions: Int = 3, reference: ReferencePython? = nil) throws -> Result {
        let threads = ProcessInfo.processInfo.activeProcessorCount
        if let reference { _ = try reference.mupSweepSeconds(threads: threads) }
        var sweep = Double.infinity, gemm = Double.infinity, floor = Double.infinity, mup = Double.infinity
        var sweepCPU = Double.infinity, gemmCPU = Double.infinity
        for _ in 0..<repetitions {
            let start = Date(), startCPU = processorSeconds()
            _ = try SweepRunner.run(plan)
            sweep = min(sweep, Date().timeIntervalSince(start))
            sweepCPU = min(sweepCPU, processorSeconds() - startCPU)
            let gemmStartCPU = processorSeconds()
            gemm = min(gemm, gemmBaseline())
            gemmCPU = min(gemmCPU, processorSeconds() - gemmStartCPU)
            floor = min(floor, gemmBaseline(initAndAdam: true))
            if let reference { mup = min(mup, try reference.mupSweepSeconds(threads: threads)) }
        }
        return Result(sweepSeconds: sweep, gemmSeconds: gemm, floorSeconds: floor, mupSeconds: reference == nil ? nil : mup,
                      mupThreads: threads, sweepCPUSeconds: sweepCPU, gemmCPUSeconds: gemmCPU, processors: threads)
    }

    /// User plus system processor time of this process so far, every thread (s).
    private static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The pure GEMM time of the sweep's jobs (same parallelism, one BLAS thread). With `initAndAdam`, each job also
    /// does the work every training of the sweep needs beyond its matrix products: it draws its weights with
    /// `Tensor.randomNormal` and takes its steps with the library's `Adam` on the products' weight gradients, given
    /// as their factors (`DeferredWeightGradient`: Adam computes `gᵀ·x` block by block, as in the sweep) — a floor
    /// for the sweep that only the recorder, the activations and the autodiff bookkeeping stand above.
    static func gemmBaseline(initAndAdam: Bool = false) -> Double {
        let previous = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(previous) }
        let jobs = plan.allJobs.sorted { $0.axisValue > $1.axisValue }
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let w = jobs[index].axisValue
            let batch = 64, sizes = [3072, w, w, w, 10]
            var generator = SeededGenerator(seed: UInt64(index))
            let parameters = initAndAdam ? (0..<4).map { layer in
                Parameter(Tensor<Float>.randomNormal(shape: [sizes[layer + 1], sizes[layer]], standardDeviation: 0.01,
                                                     using: &generator))
            } : []
            let optimizer = initAndAdam ? Adam(groups: [ParameterGroup(
                name: "all", parameters: parameters.enumerated().map { ("w\($0.offset)", $0.element) },
                learningRate: 1e-3)]) : nil
            let weights = initAndAdam ? [] : (0..<4).map { [Float](repeating: 0.01, count: sizes[$0] * sizes[$0 + 1]) }
            func weight(_ layer: Int) -> [Float] { initAndAdam ? parameters[layer].value.scalars : weights[layer] }
            var activations = (0..<5).map { [Float](repeating: 0.5, count: batch * sizes[$0]) }
            var weightGradient = weights
            var inputGradient = activations
            for pass in 0..<(plan.steps * 2 + 1) {
                let backward = pass % 2 == 1
                for layer in 0..<4 {
                    let (k, n) = (sizes[layer], sizes[layer + 1])
                    if !backward {
                        gemm(false, true, batch, n, k, activations[layer], weight(layer), &activations[layer + 1])
                    } else {
                        if !initAndAdam {
                            gemm(true, false, n, k, batch, activations[layer + 1], activations[layer], &weightGradient[layer])
                        }
                        if layer > 0 { gemm(false, false, batch, k, n, activations[layer + 1], weight(layer), &inputGradient[layer]) }
                    }
                }
                guard backward, let optimizer else { continue }
                for layer in 0..<4 {
                    parameters[layer].accumulateGradient(DeferredWeightGradient(
                        outputGradient: Tensor(shape: [batch, sizes[layer + 1]], scalars: activations[layer + 1]),
                        input: Tensor(shape: [batch, sizes[layer]], scalars: activations[layer])))
                }
                optimizer.step()
                for parameter in parameters { parameter.gradient = nil }
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
