import Foundation
@testable import MaxP

/// A small training run for the dynamic-alignment tests: an MLP (16 → width → … → 4, ReLU, no bias) marked
/// embedding / hidden / readout, a µP parametrization, Adam over its groups, a fixed sample batch, and
/// deterministic training batches by step (teacher labels from a fixed random projection).
final class DynamicRun<Scalar: TensorScalar> {
    let model: MLP<Scalar>
    let parametrization: Parametrization<Scalar>
    let optimizer: Adam<Scalar>
    let sample: Tensor<Scalar>
    let inputDimension: Int
    let classes: Int
    let batch: Int

    init(
        width: Int = 32, depth: Int = 2, inputDimension: Int = 16, classes: Int = 4, batch: Int = 8,
        configuration: ParametrizationConfiguration = .init(.mup, optimizer: .adam, lrPrefactor: 0.02),
        seed: UInt64 = 0
    ) throws {
        var g = SeededGenerator(seed: seed)
        model = MLP<Scalar>(
            MLPConfiguration(inputDimension: inputDimension, width: width, depth: depth, outputDimension: classes, bias: false),
            using: &g)
        model.markStandardRoles()
        parametrization = try Parametrization(model: model, configuration: configuration)
        optimizer = Adam(groups: parametrization.parameterGroups())
        self.inputDimension = inputDimension
        self.classes = classes
        self.batch = batch
        sample = Tensor.randomNormal(shape: [batch, inputDimension], using: &g)
    }

    /// The sample forward pass for capture and measurement.
    var sampleForward: (Tape<Scalar>) -> Void {
        { [model, sample] tape in _ = model(tape.input(sample)) }
    }

    /// The batch of training step `step` (same for every run).
    func batch(at step: Int) -> (Tensor<Scalar>, [Int]) {
        var g = SeededGenerator.derived(from: 99, step)
        let x = Tensor<Scalar>.randomNormal(shape: [batch, inputDimension], using: &g)
        let labels = (0..<batch).map { row -> Int in
            var best = 0
            var bestValue = -Double.infinity
            for k in 0..<classes {
                var value = 0.0
                for i in 0..<inputDimension { value += Double(x.scalars[row * inputDimension + i]) * Double((i * 7 + k * 3) % 5) - 2 * Double(i % (k + 2)) / 3 }
                if value > bestValue { (best, bestValue) = (k, value) }
            }
            return best
        }
        return (x, labels)
    }

    /// One Adam update on the batch of `step`; returns the loss. `observe` sees the training tape before the forward.
    @discardableResult
    func train(step: Int, observe: ((Tape<Scalar>) -> Void)? = nil) -> Double {
        let (x, labels) = batch(at: step)
        model.zeroGradients()
        let value: Double
        do {
            let tape = Tape<Scalar>()
            observe?(tape)
            let loss = model(tape.input(x)).crossEntropy(targets: labels)
            value = Double(loss.value.scalars[0])
            loss.backward()
        }
        optimizer.step()
        return value
    }

    func controller(_ options: AlignmentControllerOptions = .init(), schedule: PrefactorSchedule = .constant) throws -> AlignmentController<Scalar> {
        let controller = try AlignmentController(parametrization: parametrization, options: options, schedule: schedule)
        try controller.captureInitial(sampleForward: sampleForward, optimizer: optimizer)
        return controller
    }

    /// Trains `steps` steps (from `first`), calling the controller after each; returns the outcomes.
    @discardableResult
    func run(_ controller: AlignmentController<Scalar>, steps: ClosedRange<Int>) throws -> [AlignmentStepOutcome] {
        try steps.map { k in
            let loss = train(step: k)
            return try controller.step(sampleForward: sampleForward, optimizer: optimizer, loss: loss)
        }
    }

    var optimizerRates: [String: Double] {
        Dictionary(uniqueKeysWithValues: optimizer.groups.map { ($0.name, $0.learningRate) })
    }
}
