/// A fully connected layer `y = multiplier · (x · Wᵀ + b)` with weight `W` of shape `[out, in]` and optional
/// bias `b` of shape `[out]`, applied to the last axis of `x` (leading axes are batch axes; one GEMM in total).
///
/// Parametrization hook (issue 3): a parametrization sets ``role`` (`embedding`, `hidden`, `readout`, …) and
/// ``multiplier`` (`width^-a`). With a role, the forward pass is recorded as one parametrized op named by the
/// layer's ``path`` (``Tape/parametrized(site:role:inputs:multiplier:body:)``), with the matmul and bias add as its
/// internals. Without a role the layer computes normally and still applies a multiplier different from 1.
public final class Linear<Scalar: TensorScalar>: Module {
    /// The layer's dotted path in its model (set by ``Module/assignPaths(prefix:)``).
    public var path = ""
    /// The fan-in: size of the last axis of the input.
    public let inputFeatures: Int
    /// The fan-out: size of the last axis of the output.
    public let outputFeatures: Int
    /// The weight, shape `[outputFeatures, inputFeatures]`.
    public let weight: Parameter<Scalar>
    /// The bias, shape `[outputFeatures]`, if the layer has one.
    public let bias: Parameter<Scalar>?
    /// The output multiplier (`width^-a` under an abc-parametrization); 1 by default.
    public var multiplier: Scalar = 1
    /// The parametrization role (`embedding`, `hidden`, `readout`, …); `nil` (default) records no parametrized op.
    public var role: String?

    /// Creates a layer with weight drawn from `N(0, 1/inputFeatures)` (standard deviation `inputFeatures^-1/2`) and a
    /// zero bias.
    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, using generator: inout SeededGenerator) {
        precondition(inputFeatures > 0 && outputFeatures > 0, "Linear: features must be positive, got \(inputFeatures) → \(outputFeatures)")
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        weight = Parameter(
            .randomNormal(
                shape: [outputFeatures, inputFeatures],
                standardDeviation: Scalar(1 / Double(inputFeatures).squareRoot()), using: &generator))
        self.bias = bias ? Parameter(Tensor(zeros: [outputFeatures])) : nil
    }

    public var localParameters: [(name: String, parameter: Parameter<Scalar>)] {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    /// Redraws the weight from `N(0, standardDeviation²)` and zeroes the bias.
    public func resetParameters(standardDeviation: Scalar, using generator: inout SeededGenerator) {
        weight.value = .randomNormal(shape: weight.shape, standardDeviation: standardDeviation, using: &generator)
        bias?.value = Tensor(zeros: [outputFeatures])
    }

    /// Applies the layer to `x` of shape `[…, inputFeatures]`, giving `[…, outputFeatures]`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        precondition(
            x.shape.last == inputFeatures,
            "Linear '\(path)': input of shape \(x.shape) does not end in the fan-in \(inputFeatures)")
        let tape = x.tape
        let compute = { () -> Variable<Scalar> in
            let product = x.linear(weight: tape.parameter(self.weight))
            guard let bias = self.bias else { return product }
            return product + tape.parameter(bias)
        }
        return tape.withScope(path) {
            applyMultiplier(tape: tape, site: path, role: role, inputs: [x], multiplier: multiplier, body: compute)
        }
    }
}

/// Records `multiplier · body()`: as a parametrized op named `site` when `role` is set, otherwise as plain ops
/// (with a scale only when the multiplier differs from 1).
func applyMultiplier<Scalar>(
    tape: Tape<Scalar>, site: String, role: String?, inputs: [Variable<Scalar>], multiplier: Scalar,
    body: () -> Variable<Scalar>
) -> Variable<Scalar> {
    if let role {
        return tape.parametrized(site: site, role: role, inputs: inputs, multiplier: multiplier, body: body)
    }
    let output = body()
    return multiplier == 1 ? output : output.scaled(by: multiplier)
}
