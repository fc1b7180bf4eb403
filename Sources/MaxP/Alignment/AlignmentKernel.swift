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
        initialRowRMS: [Double]? = nil, initialWeightRMS: Double? = nil, scratch: AlignmentScratch<Scalar>? = nil
    ) -> Alignment {
        precondition(z0.count == rows * inputs && z.count == z0.count, "AlignmentKernel: inputs do not have \(rows)×\(inputs) elements")
        precondition(w0.count == outputs * inputs && w.count == w0.count, "AlignmentKernel: weights do not have \(outputs)×\(inputs) elements")
        let logBase = Foundation.log(Double(max(fanIn, 2)))
        // Buffers are taken out of `scratch` (so they stay uniquely referenced) and put back at the end: repeated
        // measurements of the same op reuse them instead of allocating (and page-faulting) a fresh n×n ΔW each time.
        var weightChange = scratch?.weightChange ?? []
        var stacked = scratch?.stacked ?? []
        var product = scratch?.product ?? []
        if let scratch { (scratch.weightChange, scratch.stacked, scratch.product) = ([], [], []) }
        defer { if let scratch { (scratch.weightChange, scratch.stacked, scratch.product) = (weightChange, stacked, product) } }

        let (weightChangeSquares, weightMagnitude) = difference(w, w0, into: &weightChange)
        // `stacked` = [z0; Δz]: Δz is written straight into the second half.
        let count = rows * inputs
        if stacked.count != 2 * count { stacked = [Scalar](repeating: 0, count: 2 * count) }
        if count > 0 {
            stacked.withUnsafeMutableBufferPointer { s in
                z0.withUnsafeBufferPointer { p in s.baseAddress!.update(from: p.baseAddress!, count: count) }
            }
        }
        let (_, inputMagnitude) = difference(z, z0, into: &stacked, offset: count)
        let weightChangeRMS = (weightChangeSquares / Double(max(w.count, 1)) + AlignmentMeasurement.rmsEpsilon).squareRoot()
        let w0RMS = initialWeightRMS ?? Self.rms(w0)
        let z0RowRMS = initialRowRMS ?? rowRMS(z0, firstRow: 0, rows: rows, width: inputs)
        let weightChanged = weightMagnitude > AlignmentMeasurement.changeThreshold
        let inputChanged = inputMagnitude > AlignmentMeasurement.changeThreshold

        var alpha = 0.0, omega = 0.0, u = 0.0
        let dzRowRMS = inputChanged ? rowRMS(stacked, firstRow: rows, rows: rows, width: inputs) : []
        // product rows: [z0·ΔWᵀ; Δz·ΔWᵀ; Δz·W0ᵀ].
        let productCount = 3 * rows * outputs
        if product.count != productCount { product = [Scalar](repeating: 0, count: productCount) }
        if weightChanged {
            // One GEMM for z0·ΔWᵀ (rows 0..<rows) and, if the inputs changed, Δz·ΔWᵀ (rows rows..<2·rows).
            let stackedRows = inputChanged ? 2 * rows : rows
            multiply(stacked, rows: stackedRows, by: weightChange, outputs: outputs, inputs: inputs, into: &product, offset: 0)
            alpha = meanLogRatio(product, firstRow: 0, rows: rows, width: outputs, factorRowRMS: z0RowRMS, matrixRMS: weightChangeRMS) / logBase
            if inputChanged {
                u = meanLogRatio(product, firstRow: rows, rows: rows, width: outputs, factorRowRMS: dzRowRMS, matrixRMS: weightChangeRMS) / logBase
            }
        }
        if inputChanged && w0RMS > AlignmentMeasurement.initialWeightThreshold {
            stacked.withUnsafeBufferPointer { s in
                product.withUnsafeMutableBufferPointer { out in
                    gemm(s.baseAddress! + count, rows: rows, by: w0, outputs: outputs, inputs: inputs, into: out.baseAddress! + 2 * rows * outputs)
                }
            }
            omega = meanLogRatio(product, firstRow: 2 * rows, rows: rows, width: outputs, factorRowRMS: dzRowRMS, matrixRMS: w0RMS) / logBase
        }
        return Alignment(
            alpha: AlignmentMeasurement.sanitized(alpha), omega: AlignmentMeasurement.sanitized(omega),
            u: AlignmentMeasurement.sanitized(u))
    }

    /// Writes `a − b` into `out[offset...]` (resized to at least `offset + a.count` when needed) and returns the sum
    /// of its squares (in `Double`, accumulated in blocks) and its largest magnitude.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func difference<Scalar: TensorScalar>(_ a: [Scalar], _ b: [Scalar], into out: inout [Scalar], offset: Int = 0) -> (Double, Double) {
        let n = a.count
        if out.count < offset + n { out = [Scalar](repeating: 0, count: offset + n) }
        var squares = 0.0
        var magnitude: Scalar = 0
        out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    // Four independent lanes per block so the sums and maxima need not run as one serial chain.
                    let a = ap.baseAddress!, b = bp.baseAddress!, c = o.baseAddress! + offset
                    var start = 0
                    while start < n {
                        let end = min(start + 256, n)
                        var s0: Scalar = 0, s1: Scalar = 0, s2: Scalar = 0, s3: Scalar = 0
                        var m0: Scalar = 0, m1: Scalar = 0, m2: Scalar = 0, m3: Scalar = 0
                        var i = start
                        while i + 4 <= end {
                            let d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3]
                            c[i] = d0; c[i + 1] = d1; c[i + 2] = d2; c[i + 3] = d3
                            s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3
                            m0 = max(m0, abs(d0)); m1 = max(m1, abs(d1)); m2 = max(m2, abs(d2)); m3 = max(m3, abs(d3))
                            i += 4
                        }
                        while i < end {
                            let d = a[i] - b[i]
                            c[i] = d
                            s0 += d * d
                            m0 = max(m0, abs(d))
                            i += 1
                        }
                        squares += Double((s0 + s1) + (s2 + s3))
                        magnitude = max(magnitude, max(max(m0, m1), max(m2, m3)))
                        start = end
                    }
                }
            }
        }
        return (squares, Double(magnitude))
    }

    /// The rms of rows `firstRow..<firstRow + rows` of a buffer of rows of `width`, accumulated in `Double`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func rowRMS<Scalar: TensorScalar>(_ values: [Scalar], firstRow: Int, rows: Int, width: Int) -> [Double] {
        values.withUnsafeBufferPointer { p in
            (0..<rows).map { row in
                var sum = 0.0
                let base = (firstRow + row) * width
                for i in 0..<width {
                    let x = Double(p[base + i])
                    sum += x * x
                }
                return (sum / Double(max(width, 1)) + AlignmentMeasurement.rmsEpsilon).squareRoot()
            }
        }
    }

    /// `a · bᵀ` (first `rows` rows of `a`) written into `out[offset...]`, one GEMM.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func multiply<Scalar: TensorScalar>(
        _ a: [Scalar], rows: Int, by b: [Scalar], outputs: Int, inputs: Int, into out: inout [Scalar], offset: Int
    ) {
        a.withUnsafeBufferPointer { ap in
            out.withUnsafeMutableBufferPointer { o in
                gemm(ap.baseAddress!, rows: rows, by: b, outputs: outputs, inputs: inputs, into: o.baseAddress! + offset)
            }
        }
    }

    /// `a · bᵀ` from raw row-major pointers into `c` (`rows × outputs`).
    @inline(__always)
    static func gemm<Scalar: TensorScalar>(
        _ a: UnsafePointer<Scalar>, rows: Int, by b: [Scalar], outputs: Int, inputs: Int, into c: UnsafeMutablePointer<Scalar>
    ) {
        guard rows > 0 && outputs > 0 else { return }
        b.withUnsafeBufferPointer { bp in
            Scalar.gemm(
                transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, alpha: 1,
                a: a, lda: inputs, b: bp.baseAddress!, ldb: inputs, beta: 0, c: c, ldc: outputs)
        }
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

/// Reusable buffers for repeated ``AlignmentKernel`` measurements of one op (ΔW, the stacked rows `[z0; Δz]` and the
/// products), so a measuring step does not allocate them afresh. Not thread-safe: one per op, used serially.
final class AlignmentScratch<Scalar: TensorScalar> {
    var weightChange: [Scalar] = []
    var stacked: [Scalar] = []
    var product: [Scalar] = []
}
