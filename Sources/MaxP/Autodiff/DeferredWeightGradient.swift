/// The weight gradient `dW = gᵀ·x` of a product `x · Wᵀ` (``Variable/linear(weight:)``), kept as its two factors —
/// the output gradient `g` (`[rows, out]`) and the input `x` (`[rows, in]`) — until someone needs it.
///
/// The gradient is defined as computed a block of ``rowsPerBlock`` rows at a time, each block one GEMM over the
/// whole batch. An optimizer that updates the weight elementwise (``Adam``) can then take each block while it is
/// still in cache (``forEachRowBlock(_:)``), so the `[out, in]` gradient never goes to memory; everyone else reads
/// ``materialized()``, the same blocks written into one tensor. Both give the same bits by construction, on every
/// BLAS: the block boundaries depend only on the shape, and each block is the same GEMM call. A weight with at most
/// ``rowsPerBlock`` rows is one block: the plain product `gᵀ·x`.
public struct DeferredWeightGradient<Scalar: TensorScalar> {
    /// The output gradient `g`, `[rows, out]`.
    let outputGradient: Tensor<Scalar>
    /// The input `x`, `[rows, in]`.
    let input: Tensor<Scalar>
    /// Rows of the weight per block.
    let rowsPerBlock: Int

    /// The blocks' size target, in elements: 256 Ki (1 MiB of `Float`), well inside a core's L2 cache.
    static var blockElements: Int { 1 << 18 }

    /// Rows per block for a weight of `columns` columns: as many as fit ``blockElements``, a multiple of 16, at
    /// least 16.
    static func rowsPerBlock(columns: Int) -> Int { max(16, blockElements / max(columns, 1) / 16 * 16) }

    /// The gradient of a weight from the output gradient `g` (`[rows, out]`) and the input `x` (`[rows, in]`, at
    /// least one row) of its product.
    public init(outputGradient: Tensor<Scalar>, input: Tensor<Scalar>) {
        self.init(outputGradient: outputGradient, input: input, rowsPerBlock: nil)
    }

    /// The same with `rowsPerBlock` rows per block instead of ``rowsPerBlock(columns:)`` (tests).
    init(outputGradient: Tensor<Scalar>, input: Tensor<Scalar>, rowsPerBlock: Int?) {
        precondition(outputGradient.rank == 2 && input.rank == 2 && outputGradient.shape[0] == input.shape[0],
                     "weight gradient: factors \(outputGradient.shape) and \(input.shape) need the same rows")
        precondition(input.shape[0] > 0, "weight gradient: factors without rows")
        self.outputGradient = outputGradient
        self.input = input
        self.rowsPerBlock = rowsPerBlock ?? Self.rowsPerBlock(columns: input.shape[1])
        precondition(self.rowsPerBlock > 0, "weight gradient: rows per block must be positive")
    }

    /// The weight's shape `[out, in]`.
    public var shape: [Int] { [outputGradient.shape[1], input.shape[1]] }

    /// The gradient as one tensor.
    public func materialized() -> Tensor<Scalar> {
        let (rows, columns) = (shape[0], shape[1])
        return Tensor(shape: shape) { out in
            guard rows > 0, columns > 0 else { return }
            for start in stride(from: 0, to: rows, by: rowsPerBlock) {
                computeRows(start..<min(start + rowsPerBlock, rows), into: out.baseAddress! + start * columns)
            }
        }
    }

    /// Calls `body` with each block of rows in order — its row range and the block's `range.count × in` elements,
    /// row-major (valid only during the call; one scratch buffer serves every block).
    func forEachRowBlock(_ body: (Range<Int>, UnsafePointer<Scalar>) -> Void) {
        let (rows, columns) = (shape[0], shape[1])
        guard rows > 0, columns > 0 else { return }
        let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: min(rowsPerBlock, rows) * columns)
        defer { scratch.deallocate() }
        for start in stride(from: 0, to: rows, by: rowsPerBlock) {
            let range = start..<min(start + rowsPerBlock, rows)
            computeRows(range, into: scratch)
            body(range, UnsafePointer(scratch))
        }
    }

    /// Rows `range` of `gᵀ·x` into `destination` (row stride `in`): one GEMM `g[:, range]ᵀ · x`.
    private func computeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Scalar>) {
        let (batch, out, columns) = (input.shape[0], shape[0], shape[1])
        outputGradient.scalars.withUnsafeBufferPointer { g in
            input.scalars.withUnsafeBufferPointer { x in
                Scalar.gemm(
                    transposeA: true, transposeB: false, m: range.count, n: columns, k: batch, alpha: 1,
                    a: g.baseAddress! + range.lowerBound, lda: out, b: x.baseAddress!, ldb: columns,
                    beta: 0, c: destination, ldc: columns)
            }
        }
    }
}
