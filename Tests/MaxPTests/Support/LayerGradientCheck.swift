@testable import MaxP

/// One compared gradient entry.
struct GradientDiscrepancy: CustomStringConvertible {
    var parameter: String
    var index: Int
    var analytic: Double
    var numeric: Double
    /// `|analytic − numeric| / max(|analytic|, |numeric|, 1e-3)` (the floor keeps entries that are zero up to
    /// rounding from reporting huge relative errors).
    var relativeError: Double

    var description: String {
        "\(parameter)[\(index)]: analytic \(analytic), numeric \(numeric), relative error \(relativeError)"
    }
}

/// Compares the parameter gradients of `forward` (any output shape) against central finite differences.
///
/// The scalar being differentiated is `L = Σ R ⊙ forward()` for a fixed random projection `R`, so every output
/// entry matters. For every parameter, `entries` random entries plus the entry with the largest analytic gradient
/// are compared. Returns the worst discrepancy per checked entry.
func checkParameterGradients<M: Module<Double>>(
    of module: M, entries: Int = 3, step h: Double = 1e-5, seed: UInt64 = 7,
    forward: (Tape<Double>) -> Variable<Double>
) -> [GradientDiscrepancy] {
    BLASThreads.set(1)
    var generator = SeededGenerator(seed: seed)
    let tape = Tape<Double>()
    let output = forward(tape)
    let projection = Tensor<Double>.randomNormal(shape: output.shape, using: &generator)
    module.zeroGradients()
    tape.backward(from: output, seed: projection)

    func loss() -> Double {
        let value = forward(Tape<Double>(recordsGradients: false)).value
        var total = 0.0
        for i in 0..<value.count { total += value.scalars[i] * projection.scalars[i] }
        return total
    }

    var results: [GradientDiscrepancy] = []
    for (name, parameter) in module.namedParameters() {
        let analytic = parameter.gradient ?? Tensor(zeros: parameter.shape)
        var indices = (0..<entries).map { _ in Int(generator.next() % UInt64(parameter.value.count)) }
        if let largest = analytic.scalars.indices.max(by: { abs(analytic.scalars[$0]) < abs(analytic.scalars[$1]) }) {
            indices.append(largest)
        }
        for index in indices {
            let original = parameter.value.scalars[index]
            parameter.value.scalars[index] = original + h
            let plus = loss()
            parameter.value.scalars[index] = original - h
            let minus = loss()
            parameter.value.scalars[index] = original
            let numeric = (plus - minus) / (2 * h)
            let a = analytic.scalars[index]
            let error = abs(a - numeric) / max(abs(a), abs(numeric), 1e-3)
            results.append(
                GradientDiscrepancy(parameter: name, index: index, analytic: a, numeric: numeric, relativeError: error))
        }
    }
    return results
}

/// Adds `N(0, scale²)` noise to every parameter, so gains and biases are not at their special initial values.
func perturbParameters<M: Module<Double>>(of module: M, scale: Double = 0.2, seed: UInt64 = 3) {
    var generator = SeededGenerator(seed: seed)
    for (_, parameter) in module.namedParameters() {
        parameter.value.add(.randomNormal(shape: parameter.shape, standardDeviation: scale, using: &generator))
    }
}
