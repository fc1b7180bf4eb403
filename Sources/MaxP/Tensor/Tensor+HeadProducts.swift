/// Per-head matrix products of multi-head attention, on sequences whose last axis holds the heads side by side
/// (`[B, T, H·d]`, head `h` in columns `h·d ..< (h+1)·d`) and per-head blocks `[B, H, Tq, Tk]`.
///
/// Each head's `[T, d]` slice is read and written in place through the GEMM row stride `H·d`, so splitting and
/// merging heads costs no transpose copies: one GEMM per (batch, head) pair, the whole batch in one call (the role
/// of a batched GEMM, which the system OpenBLAS lacks). Two kernels cover attention forward and backward:
/// `S = Q·Kᵀ` (``headScores(keys:heads:)``; also `dW = dO·Vᵀ`) and `O = W·V` (``headMixture(_:heads:transposeBlocks:)``;
/// also `dQ = dS·K`, `dK = dSᵀ·Q`, `dV = Wᵀ·dO`).
extension Tensor {
    /// `S[b, h] = Q_bh · K_bhᵀ` for queries `self` `[B, Tq, H·d]` and `keys` `[B, Tk, H·d]`, giving `[B, H, Tq, Tk]`.
    public func headScores(keys: Tensor, heads: Int) -> Tensor {
        precondition(
            rank == 3 && keys.rank == 3 && shape[0] == keys.shape[0] && shape[2] == keys.shape[2],
            "headScores: needs queries and keys [batch, time, heads·d] of equal batch and width, got \(shape) and \(keys.shape)")
        precondition(heads > 0 && shape[2] % heads == 0, "headScores: width \(shape[2]) is not divisible by \(heads) heads")
        let (batch, rows, columns, width) = (shape[0], shape[1], keys.shape[1], shape[2])
        let d = width / heads
        return Tensor(shape: [batch, heads, rows, columns]) { out in
            guard out.count > 0 else { return }
            guard d > 0 else { return out.initialize(repeating: 0) }
            scalars.withUnsafeBufferPointer { q in
                keys.scalars.withUnsafeBufferPointer { k in
                    for b in 0..<batch {
                        for h in 0..<heads {
                            Scalar.gemm(
                                transposeA: false, transposeB: true, m: rows, n: columns, k: d, alpha: 1,
                                a: q.baseAddress! + b * rows * width + h * d, lda: width,
                                b: k.baseAddress! + b * columns * width + h * d, ldb: width,
                                beta: 0, c: out.baseAddress! + (b * heads + h) * rows * columns, ldc: columns)
                        }
                    }
                }
            }
        }
    }

    /// `X_bh = op(A_bh) · Y_bh` for per-head blocks `self` `[B, H, Tq, Tk]` (`op` transposes each block when
    /// `transposeBlocks`) and a sequence `[B, Tk, H·d]` (`[B, Tq, H·d]` if transposed), giving `[B, Tq, H·d]`
    /// (`[B, Tk, H·d]` if transposed), heads side by side.
    ///
    /// With `causal` the blocks must be square and zero above the diagonal (causal attention weights, or the
    /// gradient of causal scores): the products then skip the zero part, in bands of ``causalBand`` output rows
    /// (about 5/8 of the work at 64 positions) — the same bits, since a GEMM adds its terms in order from an exact
    /// +0 and adding a zero term changes no sum.
    public func headMixture(_ sequence: Tensor, heads: Int, transposeBlocks: Bool = false, causal: Bool = false) -> Tensor {
        precondition(rank == 4 && shape[1] == heads, "headMixture: blocks must be [batch, \(heads), Tq, Tk], got \(shape)")
        let (batch, rows, columns) = (shape[0], shape[2], shape[3])
        precondition(!causal || rows == columns, "headMixture: causal blocks must be square, got \(shape)")
        let (outer, inner) = transposeBlocks ? (columns, rows) : (rows, columns)
        precondition(
            sequence.rank == 3 && sequence.shape[0] == batch && sequence.shape[1] == inner
                && sequence.shape[2] % heads == 0,
            "headMixture: blocks \(shape)\(transposeBlocks ? "ᵀ" : "") do not fit the sequence \(sequence.shape) with \(heads) heads")
        let width = sequence.shape[2], d = width / heads
        return Tensor(shape: [batch, outer, width]) { out in
            guard out.count > 0 else { return }
            guard inner > 0 else { return out.initialize(repeating: 0) }
            scalars.withUnsafeBufferPointer { a in
                sequence.scalars.withUnsafeBufferPointer { y in
                    let band = causal ? Self.causalBand : outer
                    for b in 0..<batch {
                        for h in 0..<heads {
                            let block = a.baseAddress! + (b * heads + h) * rows * columns
                            let values = y.baseAddress! + b * inner * width + h * d
                            let output = out.baseAddress! + b * outer * width + h * d
                            for first in stride(from: 0, to: outer, by: band) {
                                let count = Swift.min(band, outer - first)
                                // Output rows first..<first+count: A's rows there see keys 0..<first+count;
                                // Aᵀ's rows (A's columns) there are zero above A's row `first`.
                                let (start, terms) = !causal ? (0, inner)
                                    : transposeBlocks ? (first, inner - first) : (0, first + count)
                                Scalar.gemm(
                                    transposeA: transposeBlocks, transposeB: false, m: count, n: d, k: terms, alpha: 1,
                                    a: block + (transposeBlocks ? start * columns + first : first * columns + start),
                                    lda: columns, b: values + start * width, ldb: width,
                                    beta: 0, c: output + first * width, ldc: width)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Output rows per GEMM of a causal ``headMixture(_:heads:transposeBlocks:causal:)``: narrower bands skip more
    /// zeros but make more calls.
    public static var causalBand: Int { 16 }
}
