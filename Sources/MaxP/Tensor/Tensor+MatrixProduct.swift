/// Matrix products on raw tensors through CBLAS. No copies are made to transpose: the transpose flags are passed
/// to GEMM.
extension Tensor {
    /// `op(self) · op(other)` for rank-2 tensors, or batched over equal leading dimensions for rank ≥ 3
    /// (one GEMM per batch element, contiguous slices, no copies).
    ///
    /// - Parameters:
    ///   - transposeSelf: use the transpose of the last two dimensions of `self`.
    ///   - transposeOther: use the transpose of the last two dimensions of `other`.
    public func matrixProduct(
        _ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false, alpha: Scalar = 1
    ) -> Tensor {
        precondition(rank >= 2 && other.rank == rank, "matmul: ranks \(shape) and \(other.shape) must match and be ≥ 2")
        let batchShape = Array(shape.dropLast(2))
        precondition(
            batchShape == Array(other.shape.dropLast(2)),
            "matmul: batch dimensions of \(shape) and \(other.shape) differ")
        let (r0, c0) = (shape[rank - 2], shape[rank - 1])
        let (r1, c1) = (other.shape[rank - 2], other.shape[rank - 1])
        let (m, k) = transposeSelf ? (c0, r0) : (r0, c0)
        let (k2, n) = transposeOther ? (c1, r1) : (r1, c1)
        precondition(
            k == k2,
            "matmul: inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : "")")
        let batch = batchShape.reduce(1, *)
        return Tensor(shape: batchShape + [m, n]) { out in
            if batch == 0 || m == 0 || n == 0 { return }
            if k == 0 {
                out.initialize(repeating: 0)
                return
            }
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<batch {
                        Scalar.gemm(
                            transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                            alpha: alpha, a: a.baseAddress! + i * r0 * c0, lda: c0,
                            b: b.baseAddress! + i * r1 * c1, ldb: c1,
                            beta: 0, c: out.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
    }

    /// Adds `a · op(b)` onto this tensor in place, each tensor viewed as the matrix of its rows (every leading
    /// dimension) by its last dimension: one GEMM with β = 1 (`self ← self + a·op(b)`; `a` `[m, k]`, `b` `[k, n]`, or
    /// `[n, k]` with `transposeSecond`, `self` `[m, n]`), with no product tensor and no separate addition pass. It
    /// rounds like that separate addition only when `k` fits one of the BLAS's blocks (``singleBlockContraction``);
    /// beyond it the blocks are added onto `self` one by one.
    mutating func addMatrixProduct(_ a: Tensor, _ b: Tensor, transposeSecond: Bool = false) {
        let (m, n, k) = (rowCount, lastDimension, a.lastDimension)
        precondition(rank >= 1 && a.rank >= 1 && b.rank == 2 && a.rowCount == m
                     && b.shape == (transposeSecond ? [n, k] : [k, n]),
                     "addMatrixProduct: \(shape) += \(a.shape) · \(b.shape)\(transposeSecond ? "ᵀ" : "") does not fit")
        guard m > 0, n > 0, k > 0 else { return }
        scalars.withUnsafeMutableBufferPointer { c in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    Scalar.gemm(
                        transposeA: false, transposeB: transposeSecond, m: m, n: n, k: k, alpha: 1,
                        a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: transposeSecond ? k : n,
                        beta: 1, c: c.baseAddress!, ldc: n)
                }
            }
        }
    }
}
