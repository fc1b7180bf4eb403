import Testing
@testable import MaxP

/// Finite-difference checks of tape gradients, in `Double`.
///
/// For an op `f` of inputs `x_1 … x_k`, the scalar objective is `L = Σ f(x) ⊙ R` with a fixed random `R` of the
/// output's shape. The tape gradient of every input (obtained by seeding the backward pass with `R`) is compared to
/// central differences `(L(x + h e_j) − L(x − h e_j)) / 2h`, `h = 1e-6 · max(1, |x_j|)`. The difference is taken
/// element by element before summing, so large constant outputs (e.g. masked scores) cancel exactly.
enum GradientCheck {
    /// Relative step of the central differences.
    static let relativeStep = 1e-6

    /// For each input, `max|analytic − numeric| / max(1e-8, max|analytic| + max|numeric|)`.
    static func relativeErrors(
        _ inputs: [Tensor<Double>], seed: UInt64 = 99, _ op: ([Variable<Double>]) -> Variable<Double>
    ) -> [Double] {
        let tape = Tape<Double>()
        let variables = inputs.enumerated().map { tape.input($0.element, name: "x\($0.offset)") }
        let output = op(variables)
        var generator = SeededGenerator(seed: seed)
        let weights = Tensor<Double>.randomNormal(shape: output.shape, using: &generator)
        tape.backward(from: output, seed: weights)
        let analytic = zip(variables, inputs).map { v, x in tape.gradient(of: v) ?? Tensor(zeros: x.shape) }

        func evaluate(_ values: [Tensor<Double>]) -> Tensor<Double> {
            let probe = Tape<Double>(recordsGradients: false)
            return op(values.map { probe.input($0) }).value
        }

        var errors: [Double] = []
        for index in inputs.indices {
            var numeric = [Double](repeating: 0, count: inputs[index].count)
            for j in 0..<inputs[index].count {
                let x = inputs[index].scalars[j]
                let h = relativeStep * Swift.max(1, Swift.abs(x))
                var plus = inputs, minus = inputs
                plus[index].scalars[j] = x + h
                minus[index].scalars[j] = x - h
                let up = evaluate(plus), down = evaluate(minus)
                var total = 0.0
                for e in 0..<weights.count { total += (up.scalars[e] - down.scalars[e]) * weights.scalars[e] }
                numeric[j] = total / (2 * h)
            }
            let a = analytic[index].scalars
            #expect(a.count == numeric.count, "gradient of input \(index) has \(a.count) elements")
            var worst = 0.0, maxA = 0.0, maxN = 0.0
            for (u, v) in zip(a, numeric) {
                worst = Swift.max(worst, Swift.abs(u - v))
                maxA = Swift.max(maxA, Swift.abs(u))
                maxN = Swift.max(maxN, Swift.abs(v))
            }
            errors.append(worst / Swift.max(1e-8, maxA + maxN))
        }
        return errors
    }
}

/// Expects the tape gradient of every input of `op` to match central finite differences (relative error below
/// `tolerance`).
func expectGradientsMatch(
    _ inputs: [Tensor<Double>], tolerance: Double = 1e-6, seed: UInt64 = 99,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ op: ([Variable<Double>]) -> Variable<Double>
) {
    let errors = GradientCheck.relativeErrors(inputs, seed: seed, op)
    for (index, error) in errors.enumerated() {
        #expect(
            error < tolerance, "input \(index) of shape \(inputs[index].shape): relative gradient error \(error)",
            sourceLocation: sourceLocation)
    }
}

/// A reproducible normal tensor (mean 0, standard deviation 1 unless told).
func randomTensor(_ shape: [Int], seed: UInt64, mean: Double = 0, standardDeviation: Double = 1) -> Tensor<Double> {
    var generator = SeededGenerator(seed: seed)
    return .randomNormal(shape: shape, mean: mean, standardDeviation: standardDeviation, using: &generator)
}

/// A reproducible normal tensor with every element at least `margin` away from 0 (for ops with a kink at 0).
func randomTensorAwayFromZero(_ shape: [Int], seed: UInt64, margin: Double = 1e-3) -> Tensor<Double> {
    var t = randomTensor(shape, seed: seed)
    for i in t.scalars.indices where Swift.abs(t.scalars[i]) < margin {
        t.scalars[i] = t.scalars[i] < 0 ? t.scalars[i] - 2 * margin : t.scalars[i] + 2 * margin
    }
    return t
}

/// A reproducible tensor of random signs and magnitudes in `[lower, upper]` (for denominators).
func randomTensorBoundedAwayFromZero(_ shape: [Int], seed: UInt64, lower: Double = 0.5, upper: Double = 2) -> Tensor<Double> {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    var values = [Double]()
    for _ in 0..<count {
        let magnitude = lower + (upper - lower) * generator.nextUnit()
        values.append(generator.nextUnit() < 0.5 ? -magnitude : magnitude)
    }
    return Tensor(shape: shape, scalars: values)
}
