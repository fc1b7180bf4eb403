/// Differentiable matrix products (CBLAS underneath, transposes passed as flags).
extension Variable {
    /// `op(self) · op(other)` over the last two dimensions, batched over equal leading dimensions.
    ///
    /// Gradients: `dA = dC · op(B)ᵀ`, `dB = op(A)ᵀ · dC`, each a single GEMM per batch element with the
    /// transposes folded into flags.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func matmul(_ other: Variable, transposeSelf: Bool = false, transposeOther: Bool = false) -> Variable {
        let a = value, b = other.value
        let out = a.matrixProduct(b, transposeSelf: transposeSelf, transposeOther: transposeOther)
        return tape.record(.matmul, inputs: [self, other], value: out) { g in
            // C = A·B      : dA = g·Bᵀ,   dB = Aᵀ·g
            // C = Aᵀ·B     : dA = B·gᵀ,   dB = A·g
            // C = A·Bᵀ     : dA = g·B,    dB = gᵀ·A
            // C = Aᵀ·Bᵀ    : dA = Bᵀ·gᵀ,  dB = gᵀ·Aᵀ
            let da: Tensor<Scalar>
            let db: Tensor<Scalar>
            switch (transposeSelf, transposeOther) {
            case (false, false):
                da = g.matrixProduct(b, transposeOther: true)
                db = a.matrixProduct(g, transposeSelf: true)
            case (true, false):
                da = b.matrixProduct(g, transposeOther: true)
                db = a.matrixProduct(g)
            case (false, true):
                da = g.matrixProduct(b)
                db = g.matrixProduct(a, transposeSelf: true)
            case (true, true):
                da = b.matrixProduct(g, transposeSelf: true, transposeOther: true)
                db = g.matrixProduct(a, transposeSelf: true, transposeOther: true)
            }
            return [da, db]
        }
    }

    /// `x · Wᵀ` for `x` of shape `[…, in]` and a weight of shape `[out, in]` (the `Linear` product): leading
    /// dimensions of `x` are folded into rows, so one GEMM computes the whole batch.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func linear(weight: Variable) -> Variable {
        let x = value, w = value(of: weight)
        precondition(w.rank == 2, "linear: weight must be [out, in], got \(w.shape)")
        let inFeatures = w.shape[1], outFeatures = w.shape[0]
        precondition(
            x.lastDimension == inFeatures,
            "linear: input \(x.shape) does not end in the weight's fan-in \(inFeatures) (weight \(w.shape))")
        let rows = x.rowCount
        let x2 = x.reshaped([rows, inFeatures])
        let outShape = Array(x.shape.dropLast()) + [outFeatures]
        let out = x2.matrixProduct(w, transposeOther: true).reshaped(outShape)
        // No `g·W` into data that needs no gradient (the first layer's input batch): it is the largest backward GEMM.
        let needsInputGradient = tape.requiresGradient(self), needsWeightGradient = tape.requiresGradient(weight)
        let pullback: Tape<Scalar>.Pullback = { g in
            // [rows, out]·[out, in]
            [needsInputGradient ? g.reshaped([rows, outFeatures]).matrixProduct(w).reshaped(x.shape) : nil, nil]
        }
        guard needsWeightGradient else { return tape.record(.matmul, inputs: [self, weight], value: out, pullback: pullback) }
        guard rows > 0 else {
            return tape.record(.matmul, inputs: [self, weight], value: out) { g in
                [pullback(g)[0], Tensor(zeros: [outFeatures, inFeatures])]
            }
        }
        // dW = gᵀ·x ([out, rows]·[rows, in]) as its factors: an optimizer may take it block by block.
        return tape.record(.matmul, inputs: [self, weight], value: out, pullback: pullback, weightPosition: 1) { g in
            DeferredWeightGradient(outputGradient: g.reshaped([rows, outFeatures]), input: x2)
        }
    }

    private func value(of other: Variable) -> Tensor<Scalar> {
        precondition(other.tape === tape, "ops combine variables of different tapes")
        return other.value
    }
}
