import Foundation
import MaxP

/// Cost of one dynamic-alignment step against one plain training step on the width-1024 4-layer MLP (batch 64,
/// sampleSize 32): `step()` = capture forward on the sample + alignment of every layer + LP re-solve + rate sync.
/// The target is `step()` ≤ 0.5 × a training step.
enum AlignmentBenchmark {
    /// One row: best-of-N milliseconds of `step()`, of a plain Adam training step, and their ratio.
    struct Result: Sendable {
        var stepMilliseconds: Double
        var trainingMilliseconds: Double
        var ratio: Double { stepMilliseconds / trainingMilliseconds }
    }

    /// Runs the benchmark (single-threaded BLAS) with `repetitions` timed runs each after two warm-ups.
    static func run(width: Int = 1024, batch: Int = 64, sampleSize: Int = 32, repetitions: Int = 10) throws -> Result {
        BLASThreads.set(1)
        var generator = SeededGenerator(seed: 3)
        let model = MLP<Float>(
            MLPConfiguration(inputDimension: width, width: width, depth: 3, outputDimension: width, bias: false),
            using: &generator)
        model.markStandardRoles()
        let parametrization = try Parametrization(
            model: model, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 1e-2))
        let optimizer = Adam(groups: parametrization.parameterGroups())
        let x = Tensor<Float>.randomNormal(shape: [batch, width], using: &generator)
        let target = Tensor<Float>.randomNormal(shape: [batch, width], using: &generator)
        let sample = x.leadingRows(sampleSize)
        let sampleForward: (Tape<Float>) -> Void = { tape in _ = model(tape.input(sample)) }
        let controller = try AlignmentController(
            parametrization: parametrization, options: .init(sampleSize: sampleSize))
        try controller.captureInitial(sampleForward: sampleForward, optimizer: optimizer)

        func trainingStep() {
            model.zeroGradients()
            do {
                let tape = Tape<Float>()
                model(tape.input(x)).meanSquaredError(target: target).backward()
            }
            optimizer.step()
        }
        func alignmentStep() {
            let outcome = try? controller.step(sampleForward: sampleForward, optimizer: optimizer)
            precondition(outcome == .solved, "alignment step did not solve: \(String(describing: outcome))")
        }
        trainingStep()
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15 }
        var best = (step: Double.infinity, training: Double.infinity)
        for i in 0..<(repetitions + 2) {
            let training = ms(clock.measure(trainingStep))
            let step = ms(clock.measure(alignmentStep))
            if i >= 2 {
                best.training = min(best.training, training)
                best.step = min(best.step, step)
            }
        }
        return Result(stepMilliseconds: best.step, trainingMilliseconds: best.training)
    }

    /// A printable summary.
    static func report(_ result: Result) -> String {
        String(
            format: "alignment step() MLP 4×1024, batch 64, sample 32 (Float): %.2f ms; training step %.2f ms; ratio %.3f (target ≤ 0.5)",
            result.stepMilliseconds, result.trainingMilliseconds, result.ratio)
    }
}
