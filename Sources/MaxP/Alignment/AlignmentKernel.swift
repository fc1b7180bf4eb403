import Foundation

/// The fast alignment measurement (spec §5.1) used by the ``AlignmentController``: the three products run as GEMMs in
/// the model's scalar type (`Float` for `Float` models), while norms, logarithms and means accumulate in `Double`.
/// It agrees with the `Double` reference ``AlignmentMeasurement/measure(z0:w0:z:w:fanIn:)`` to about `1e-4` for
/// `Float` and to rounding for `Double`.
///
/// `z0·ΔWᵀ` and `Δz·ΔWᵀ` share one GEMM on the stacked rows `[z0; Δz]`; per-row norms of `z0` and `rms(W⁰)` can be
/// precomputed once at capture.
enum AlignmentKernel {
    /// Rows of `z0`/`z` are `rows × inputs` row-major; weights `outputs × inputs`. `initialRowRMS` (rms of each row of
    /// `z0`) and `initialWeightRMS` (rms of `w0`) are recomputed when `nil`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func measure<Scalar: TensorScalar>(
        z0: [Scalar], z: [Scalar], w0: [Scalar], w: [Scalar], rows: Int, inputs: Int, outputs: Int, fanIn: Int,
        initialRowRMS: [Double]? = nil, initialWeightRMS: Double? = nil
    ) -> Alignment {
        precondition(z0.count == rows * inputs && z.count == z0.count, "AlignmentKernel: inputs do not have \(rows)×\(inputs) elements")
        precondition(w0.count == outputs * inputs && w.count == w0.count, "AlignmentKernel: weights do not have \(outputs)×\(inputs) elements")
        let logBase = Foundation.log(Double(max(fanIn, 2)))
        let (weightChange, weightChangeSquares, weightMagnitude) = difference(w, w0)
        let (inputChange, _, inputMagnitude) = difference(z, z0)
        let weightChangeRMS = (weightChangeSquares / Double(max(w.count, 1)) + AlignmentMeasurement.rmsEpsilon).squareRoot()
        let w0RMS = initialWeightRMS ?? Self.rms(w0)
        let z0RowRMS = initialRowRMS ?? rowRMS(z0, rows: rows, width: inputs)
        let weightChanged = weightMagnitude > AlignmentMeasurement.changeThreshold
        let inputChanged = inputMagnitude > AlignmentMeasurement.changeThreshold

        var alpha = 0.0, omega = 0.0, u = 0.0
        let dzRowRMS = inputChanged ? rowRMS(inputChange, rows: rows, width: inputs) : []
        if weightChanged {
            // One GEMM for z0·ΔWᵀ (rows 0..<rows) and, if the inputs changed, Δz·ΔWᵀ (rows rows..<2·rows).
            let stacked = inputChanged ? z0 + inputChange : z0
            let stackedRows = inputChanged ? 2 * rows : rows
            let product = multiply(stacked, rows: stackedRows, by: weightChange, outputs: outputs, inputs: inputs)
            alpha = meanLogRatio(product, firstRow: 0, rows: rows, width: outputs, factorRowRMS: z0RowRMS, matrixRMS: weightChangeRMS) / logBase
            if inputChanged {
                u = meanLogRatio(product, firstRow: rows, rows: rows, width: outputs, factorRowRMS: dzRowRMS, matrixRMS: weightChangeRMS) / logBase
            }
        }
        if inputChanged && w0RMS > AlignmentMeasurement.initialWeightThreshold {
            let product = multiply(inputChange, rows: rows, by: w0, outputs: outputs, inputs: inputs)
            omega = meanLogRatio(product, firstRow: 0, rows: rows, width: outputs, factorRowRMS: dzRowRMS, matrixRMS: w0RMS) / logBase
        }
        return Alignment(
            alpha: AlignmentMeasurement.sanitized(alpha), omega: AlignmentMeasurement.sanitized(omega),
            u: AlignmentMeasurement.sanitized(u))
    }

    /// `a − b`, the sum of its squares (in `Double`, accumulated in blocks) and its largest magnitude.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func difference<Scalar: TensorScalar>(_ a: [Scalar], _ b: [Scalar]) -> ([Scalar], Double, Double) {
        let n = a.count
        var squares = 0.0
        var magnitude: Scalar = 0
        let result = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    var start = 0
                    while start < n {
                        let end = min(start + 256, n)
                        var blockSquares: Scalar = 0
                        for i in start..<end {
                            let d = ap[i] - bp[i]
                            out[i] = d
                            blockSquares += d * d
                            let m = d < 0 ? -d : d
                            if m > magnitude { magnitude = m }
                        }
                        squares += Double(blockSquares)
                        start = end
                    }
                }
            }
            initialized = n
        }
        return (result, squares, Double(magnitude))
    }

    /// `sqrt(mean(x²) + ε)` of a buffer, accumulated in `Double`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func rms<Scalar: TensorScalar>(_ values: [Scalar]) -> Double {
        var sum = 0.0
        values.withUnsafeBufferPointer { p in
            var start = 0
            while start < p.count {
                let end = min(start + 256, p.count)
                var block: Scalar = 0
                for i in start..<end { block += p[i] * p[i] }
                sum += Double(block)
                start = end
            }
        }
        return (sum / Double(max(values.count, 1)) + AlignmentMeasurement.rmsEpsilon).squareRoot()
    }

    /// The rms of each row of a `rows × width` buffer, accumulated in `Double`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func rowRMS<Scalar: TensorScalar>(_ values: [Scalar], rows: Int, width: Int) -> [Double] {
        values.withUnsafeBufferPointer { p in
            (0..<rows).map { row in
                var sum = 0.0
                let base = row * width
                for i in 0..<width {
                    let x = Double(p[base + i])
                    sum += x * x
                }
                return (sum / Double(max(width, 1)) + AlignmentMeasurement.rmsEpsilon).squareRoot()
            }
        }
    }

    /// `a · bᵀ` for `a` of `rows × inputs` and `b` of `outputs × inputs`, one GEMM.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func multiply<Scalar: TensorScalar>(_ a: [Scalar], rows: Int, by b: [Scalar], outputs: Int, inputs: Int) -> [Scalar] {
        [Scalar](unsafeUninitializedCapacity: rows * outputs) { out, initialized in
            if rows > 0 && outputs > 0 {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        Scalar.gemm(
                            transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, alpha: 1,
                            a: ap.baseAddress!, lda: inputs, b: bp.baseAddress!, ldb: inputs, beta: 0,
                            c: out.baseAddress!, ldc: outputs)
                    }
                }
            }
            initialized = rows * outputs
        }
    }

    /// Mean over `rows` rows (starting at `firstRow`) of `ln rms(product_row) − ln(factorRowRMS · matrixRMS)`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func meanLogRatio<Scalar: TensorScalar>(
        _ product: [Scalar], firstRow: Int, rows: Int, width: Int, factorRowRMS: [Double], matrixRMS: Double
    ) -> Double {
        guard rows > 0 else { return .nan }
        var total = 0.0
        product.withUnsafeBufferPointer { p in
            for row in 0..<rows {
                let base = (firstRow + row) * width
                var sum = 0.0
                for i in 0..<width {
                    let x = Double(p[base + i])
                    sum += x * x
                }
                let productRMS = (sum / Double(max(width, 1)) + AlignmentMeasurement.rmsEpsilon).squareRoot()
                total += Foundation.log(productRMS) - Foundation.log(factorRowRMS[row] * matrixRMS)
            }
        }
        return total / Double(rows)
    }
}

extension AlignmentMeasurement {
    /// Measures `(α, ω, u)` like ``measure(z0:w0:z:w:fanIn:)``, with the products in the tensors' own scalar type
    /// (a `Float` GEMM for `Float` tensors) and norms, logarithms and means in `Double`; agrees with the `Double`
    /// reference to about `1e-4` for `Float`.
    ///
    /// - Parameters: as ``measure(z0:w0:z:w:fanIn:)``: inputs `[…, nIn]` (leading dimensions are rows), weights
    ///   `[nOut, nIn]`, logarithms in base `max(fanIn, 2)`.
    public static func measureInModelPrecision<Scalar: TensorScalar>(
        z0: Tensor<Scalar>, w0: Tensor<Scalar>, z: Tensor<Scalar>, w: Tensor<Scalar>, fanIn: Int
    ) -> Alignment {
        checkShapes(z0: z0, w0: w0, z: z, w: w)
        return AlignmentKernel.measure(
            z0: z0.scalars, z: z.scalars, w0: w0.scalars, w: w.scalars, rows: z0.rank == 1 ? 1 : z0.rowCount,
            inputs: z0.lastDimension, outputs: w0.shape[0], fanIn: fanIn)
    }
}
