import CBLAS
import Foundation
import MaxP

/// One line of the core benchmark table: our time, an optional raw-BLAS baseline measured in the same run, their
/// ratio, and the achieved matrix-product throughput.
struct CoreBenchmarkRow: Sendable {
    /// What was measured.
    var name: String
    /// Best-of-N wall time of our implementation, in milliseconds.
    var milliseconds: Double
    /// Best-of-N wall time of the raw `cblas_sgemm` baseline doing the same products, if any.
    var baselineMilliseconds: Double?
    /// Matrix-product floating-point operations per run (2·m·n·k summed over the GEMMs).
    var flops: Double
    /// Best-of-N wall time of PyTorch doing the same work in the same run (``ReferencePython``), if measured.
    var referenceMilliseconds: Double? = nil

    /// Our time / baseline time (the target for `Linear` is ≤ 1.15).
    var ratio: Double? { baselineMilliseconds.map { milliseconds / $0 } }
    /// PyTorch's time / ours (> 1: we are faster).
    var speedupOverReference: Double? { referenceMilliseconds.map { $0 / milliseconds } }
    /// GEMM throughput achieved by our implementation, in GFLOP/s.
    var gigaflopsPerSecond: Double { flops / (milliseconds * 1e-3) / 1e9 }
}

/// Speed of the numerical core against raw CBLAS: `Linear` forward+backward and one Adam training step of an MLP.
enum CoreBenchmark {
    /// Runs every core benchmark (single-threaded BLAS unless `threads` says otherwise) and returns the rows; with a
    /// reference interpreter the Adam step is also timed in PyTorch (same thread count) right after ours.
    static func run(threads: Int = 1, repetitions: Int = 10, reference: ReferencePython? = nil) throws(ReferencePython.Failure)
        -> [CoreBenchmarkRow] {
        BLASThreads.set(threads)
        var rows: [CoreBenchmarkRow] = []
        for width in [1024, 2048] {
            rows.append(linearForwardBackward(batch: 256, width: width, bias: false, repetitions: repetitions))
        }
        rows.append(linearForwardBackward(batch: 256, width: 1024, bias: true, repetitions: repetitions))
        var adam = adamMLPStep(batch: 64, width: 1024, layers: 4, repetitions: repetitions)
        adam.referenceMilliseconds = try reference?.torchAdamStepMilliseconds(
            width: 1024, layers: 4, batch: 64, threads: threads, repetitions: repetitions)
        rows.append(adam)
        return rows
    }

    /// A printable table of `rows`.
    static func table(_ rows: [CoreBenchmarkRow]) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
        var lines = [
            pad("benchmark", 46) + pad("ours ms", 10) + pad("BLAS ms", 10) + pad("ratio", 8) + pad("GFLOP/s", 9)
                + "PyTorch ms (its time / ours)",
            String(repeating: "-", count: 110),
        ]
        for row in rows {
            lines.append(
                pad(row.name, 46) + pad(f(row.milliseconds), 10) + pad(row.baselineMilliseconds.map { f($0) } ?? "-", 10)
                    + pad(row.ratio.map { f($0, 3) } ?? "-", 8) + pad(f(row.gigaflopsPerSecond, 1), 9)
                    + (row.referenceMilliseconds.map { f($0) + " (" + f(row.speedupOverReference!) + "×)" } ?? "-"))
        }
        return lines.joined(separator: "\n")
    }

    /// Best-of-`repetitions` times of `ours` and `baseline` in milliseconds, after two warm-up runs of each. The two
    /// alternate, so both see the same machine load (the ratio stays meaningful on a busy machine).
    static func bestTimes(repetitions: Int, _ ours: () -> Void, baseline: () -> Void) -> (ours: Double, baseline: Double) {
        for _ in 0..<2 {
            ours()
            baseline()
        }
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15 }
        var best = (ours: Double.infinity, baseline: Double.infinity)
        for _ in 0..<repetitions {
            best.ours = min(best.ours, ms(clock.measure(ours)))
            best.baseline = min(best.baseline, ms(clock.measure(baseline)))
        }
        return best
    }

    /// `Linear` (width → width) forward and backward on a tape for a `[batch, width]` input, against the three raw
    /// `cblas_sgemm` calls it needs (`Y = X·Wᵀ`, `dX = dY·W`, `dW = dYᵀ·X`) into preallocated buffers.
    static func linearForwardBackward(batch: Int, width: Int, bias: Bool, repetitions: Int) -> CoreBenchmarkRow {
        var generator = SeededGenerator(seed: 1)
        let layer = Linear<Float>(inputFeatures: width, outputFeatures: width, bias: bias, using: &generator)
        let x = Tensor<Float>.randomNormal(shape: [batch, width], using: &generator)
        let seed = Tensor<Float>.randomNormal(shape: [batch, width], using: &generator)
        let w = layer.weight.value.scalars
        var y = [Float](repeating: 0, count: batch * width)
        var dx = [Float](repeating: 0, count: batch * width)
        var dw = [Float](repeating: 0, count: width * width)
        let n = Int32(width), m = Int32(batch)
        let times = bestTimes(repetitions: repetitions) {
            layer.zeroGradients()
            let tape = Tape<Float>()
            let input = tape.input(x)
            let y = layer(input)
            tape.backward(from: y, seed: seed)
            precondition(layer.weight.gradient != nil && tape.gradient(of: input) != nil)
        } baseline: {
            x.scalars.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    seed.scalars.withUnsafeBufferPointer { gp in
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, m, n, n, 1, xp.baseAddress, n, wp.baseAddress, n,
                            0, &y, n)
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, n, 1, gp.baseAddress, n, wp.baseAddress,
                            n, 0, &dx, n)
                        cblas_sgemm(
                            CblasRowMajor, CblasTrans, CblasNoTrans, n, n, m, 1, gp.baseAddress, n, xp.baseAddress,
                            n, 0, &dw, n)
                    }
                }
            }
        }
        return CoreBenchmarkRow(
            name: "Linear fwd+bwd \(batch)×\(width)→\(width)\(bias ? " +bias" : "") (Float)",
            milliseconds: times.ours, baselineMilliseconds: times.baseline,
            flops: 3 * 2 * Double(batch) * Double(width) * Double(width))
    }

    /// One full Adam training step (zero gradients, forward, mean-squared-error loss, backward, update) of an MLP of
    /// `layers` width → width linear layers with ReLU, on a `[batch, width]` batch; the baseline is the raw
    /// `cblas_sgemm` time of the same `3 · layers` products.
    static func adamMLPStep(batch: Int, width: Int, layers: Int, repetitions: Int) -> CoreBenchmarkRow {
        var generator = SeededGenerator(seed: 2)
        let model = MLP<Float>(
            MLPConfiguration(inputDimension: width, width: width, depth: layers - 1, outputDimension: width),
            using: &generator)
        let x = Tensor<Float>.randomNormal(shape: [batch, width], using: &generator)
        let target = Tensor<Float>.randomNormal(shape: [batch, width], using: &generator)
        let optimizer = Adam(module: model, learningRate: 1e-4)
        let a = [Float](repeating: 0.5, count: batch * width)
        let w = [Float](repeating: 0.01, count: width * width)
        var out = [Float](repeating: 0, count: width * width)
        let n = Int32(width), m = Int32(batch)
        let times = bestTimes(repetitions: repetitions) {
            model.zeroGradients()
            do {  // the tape must be gone before the update, or every weight is copied on write
                let tape = Tape<Float>()
                let loss = model(tape.input(x)).meanSquaredError(target: target)
                loss.backward()
            }
            optimizer.step()
        } baseline: {
            for _ in 0..<layers {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, n, 1, a, n, w, n, 0, &out, n)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, n, 1, a, n, w, n, 0, &out, n)
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, m, 1, a, n, a, n, 0, &out, n)
            }
        }
        return CoreBenchmarkRow(
            name: "Adam step, MLP \(layers)×\(width), batch \(batch) (Float)", milliseconds: times.ours,
            baselineMilliseconds: times.baseline, flops: Double(layers) * 3 * 2 * Double(batch) * Double(width) * Double(width))
    }
}
