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
    /// The weight, shape `[outputFeatures, inputFeatures]` (another layer's after ``tie(to:)``).
    public private(set) var weight: Parameter<Scalar>
    /// The bias, shape `[outputFeatures]`, if the layer has one.
    public let bias: Parameter<Scalar>?
    /// The output multiplier (`width^-a` under an abc-parametrization); 1 by default.
    public var multiplier: Scalar = 1
    /// The parametrization marking (role, width, exponent overrides); `nil` (default) records no parametrized op.
    public var marking: OpMarking?
    /// The parametrization role (`embedding`, `hidden`, `readout`, …); `nil` records no parametrized op.
    ///
    /// Setting a role marks the layer with its natural width: the fan-out for `embedding`, the fan-in otherwise.
    public var role: String? {
        get { marking?.role.rawValue }
        set {
            marking = newValue.map {
                OpMarking(role: LayerRole(rawValue: $0), width: $0 == LayerRole.embedding.rawValue ? outputFeatures : inputFeatures)
            }
        }
    }

    /// Creates a layer with weight drawn from `N(0, 1/inputFeatures)` (standard deviation `inputFeatures^-1/2`) and a
    /// zero bias. With `initialization: .deferred` the weight is left at zero and nothing is drawn from `generator`
    /// (a ``Parametrization`` must re-initialize it before use).
    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, using generator: inout SeededGenerator,
                initialization: WeightInitialization = .drawn) {
        precondition(inputFeatures > 0 && outputFeatures > 0, "Linear: features must be positive, got \(inputFeatures) → \(outputFeatures)")
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        switch initialization {
        case .drawn:
            weight = Parameter(
                .randomNormal(
                    shape: [outputFeatures, inputFeatures],
                    standardDeviation: Scalar(1 / Double(inputFeatures).squareRoot()), using: &generator))
        case .deferred:
            weight = Parameter(Tensor(zeros: [outputFeatures, inputFeatures]))
        }
        self.bias = bias ? Parameter(Tensor(zeros: [outputFeatures])) : nil
    }

    public var localParameters: [(name: String, parameter: Parameter<Scalar>)] {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    /// Makes the layer multiply by `embedding`'s table (tied input/output embeddings: a readout to vocabulary
    /// logits reusing the token embedding, `[vocabulary, width]` = `[outputFeatures, inputFeatures]`). One parameter
    /// then serves both layers: a ``Parametrization`` draws and trains it as the embedding's and reports the role
    /// conflict (``TiedWeight``).
    public func tie(to embedding: Embedding<Scalar>) {
        precondition(embedding.weight.shape == [outputFeatures, inputFeatures],
                     "Linear.tie: the embedding table \(embedding.weight.shape) is not this layer's weight shape [\(outputFeatures), \(inputFeatures)]")
        weight = embedding.weight
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
            let weight = tape.parameter(self.weight)
            guard let bias = self.bias else { return x.linear(weight: weight) }
            return affine(x, weight: weight, bias: tape.parameter(bias))
        }
        return tape.withScope(path) {
            applyMultiplier(tape: tape, site: path, role: role, inputs: [x], multiplier: multiplier, body: compute)
        }
    }
}

/// `x · Wᵀ + b` as one op of kind ``OpKind/matmul`` with inputs `[x, W, b]`, computed entirely by BLAS: the bias is
/// copied into every output row and the product accumulated onto it (GEMM with β = 1); the bias gradient is the
/// column sum of the output gradient, one GEMM with a row of ones. This avoids two elementwise passes (bias add
/// and its row reduction) and an intermediate tensor.
func affine<Scalar>(_ x: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>) -> Variable<Scalar> {
    let input = x.value, w = weight.value, b = bias.value
    let (outFeatures, inFeatures) = (w.shape[0], w.shape[1])
    precondition(b.shape == [outFeatures], "Linear: bias of shape \(b.shape) does not match weight \(w.shape)")
    let rows = input.rowCount
    let outputShape = Array(input.shape.dropLast()) + [outFeatures]
    let rowBytes = outFeatures * MemoryLayout<Scalar>.stride
    var output = Tensor<Scalar>(shape: outputShape) { out in
        guard rows > 0 else { return }
        b.scalars.withUnsafeBytes { bias in
            let base = UnsafeMutableRawPointer(out.baseAddress!)
            for r in 0..<rows { (base + r * rowBytes).copyMemory(from: bias.baseAddress!, byteCount: rowBytes) }
        }
    }
    output.addMatrixProduct(input, w, transposeSecond: true)
    return x.tape.record(.matmul, inputs: [x, weight, bias], value: output, accumulatingPullback: { g, slots in
        let g2 = g.reshaped([rows, outFeatures])
        // [rows, out]·[out, in]; the earlier gradient is taken out of its slot so that the GEMM can add in place
        slots[0] = accumulatedInputGradient(g2, weight: w, onto: slots[0].take(), shape: input.shape)
        let dw = g2.matrixProduct(input.reshaped([rows, inFeatures]), transposeSelf: true)  // [out, rows]·[rows, in]
        let ones = [Scalar](repeating: 1, count: max(rows, 1))
        let db = Tensor<Scalar>(shape: [outFeatures]) { out in
            guard rows > 0 else {
                out.initialize(repeating: 0)
                return
            }
            ones.withUnsafeBufferPointer { onesPointer in
                g.scalars.withUnsafeBufferPointer { gp in
                    Scalar.gemm(
                        transposeA: false, transposeB: false, m: 1, n: outFeatures, k: rows, alpha: 1,
                        a: onesPointer.baseAddress!, lda: rows, b: gp.baseAddress!, ldb: outFeatures,
                        beta: 0, c: out.baseAddress!, ldc: outFeatures)
                }
            }
        }
        slots[1] = Tape<Scalar>.accumulated(slots[1], dw)
        slots[2] = Tape<Scalar>.accumulated(slots[2], db)
    })
}

/// The largest contracted dimension for which a GEMM with β = 1 onto `C` gives exactly `C + A·B`: OpenBLAS's x86
/// kernels contract at least this many terms per block before adding to `C`, so below it the product reaches `C` in
/// one addition, as the separate addition did (above it the blocks would be added one by one, rounding differently).
let singleBlockContraction = 256

/// The input gradient `g·W` of a linear layer (`g` `[rows, out]`, `W` `[out, in]`) added onto the input's earlier
/// gradient: by the GEMM itself (β = 1) when the earlier one exists and `out` ≤ ``singleBlockContraction``, which
/// saves the zero fill and the separate addition pass and gives the same bits; a plain product otherwise.
func accumulatedInputGradient<Scalar: TensorScalar>(
    _ g: Tensor<Scalar>, weight w: Tensor<Scalar>, onto earlier: consuming Tensor<Scalar>?, shape: [Int]
) -> Tensor<Scalar> {
    // The earlier gradient is taken only once the GEMM is sure to add onto it (else it is added separately).
    guard g.shape[0] > 0, w.shape[0] <= singleBlockContraction, var total = earlier.take() else {
        return Tape<Scalar>.accumulated(earlier, g.matrixProduct(w).reshaped(shape))!
    }
    total.addMatrixProduct(g, w)
    return total
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
