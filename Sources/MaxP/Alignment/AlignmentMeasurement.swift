import Foundation

/// Measures the alignment exponents `(α, ω, u)` of one parametrized op from its initial and current inputs and weights
/// (spec §5.1), in `Double`.
///
/// For an op `h = W z` with `W = W⁰ + ΔW`, `z = z⁰ + Δz`, each exponent is the base-`fanIn` logarithm of how much
/// larger a product is than its factors' sizes suggest, averaged (geometrically) over input rows:
/// `α = mean_rows log_n [rms(z⁰ΔWᵀ) / (rms(z⁰)·rms(ΔW))]`, `ω` likewise for `Δz·W⁰ᵀ`, `u` for `Δz·ΔWᵀ`.
/// About `½` for independent factors, `1` for fully aligned ones, `0` when nothing changed.
public enum AlignmentMeasurement {
    /// Changes with `max|·| ≤ changeThreshold` count as no change (the term stays 0).
    public static let changeThreshold = 1e-12
    /// `ω` is skipped (0) when `rms(W⁰) ≤ initialWeightThreshold`.
    public static let initialWeightThreshold = 1e-16
    /// Added inside every square root of an rms.
    public static let rmsEpsilon = 1e-32

    /// Measures `(α, ω, u)`.
    ///
    /// - Parameters:
    ///   - z0: initial input activations, shape `[…, nIn]` (all leading dimensions are rows).
    ///   - w0: initial weights, shape `[nOut, nIn]`.
    ///   - z: current input activations, same shape as `z0`.
    ///   - w: current weights, same shape as `w0`.
    ///   - fanIn: the op's width; logarithms use base `max(fanIn, 2)`.
    /// - Returns: the alignment; NaN becomes 0, +∞ becomes 1, −∞ becomes 0; no other clamping.
    public static func measure(
        z0: Tensor<Double>, w0: Tensor<Double>, z: Tensor<Double>, w: Tensor<Double>, fanIn: Int
    ) -> Alignment {
        checkShapes(z0: z0, w0: w0, z: z, w: w)
        let inputs = z0.lastDimension
        let rows = z0.rank == 1 ? 1 : z0.rowCount
        let initialInput = z0.reshaped([rows, inputs])
        let inputChange = z.subtracting(z0).reshaped([rows, inputs])
        let weightChange = w.subtracting(w0)
        let logBase = log(Double(max(fanIn, 2)))

        let weightChangeRMS = rms(weightChange.scalars)
        let initialWeightRMS = rms(w0.scalars)
        let weightMagnitude = weightChange.maxAbsolute()
        let inputMagnitude = inputChange.maxAbsolute()

        var alpha = 0.0
        var omega = 0.0
        var u = 0.0
        let weightChanged = weightMagnitude > changeThreshold
        let inputChanged = inputMagnitude > changeThreshold
        if weightChanged {
            alpha = meanLogRatio(
                product: initialInput.matrixProduct(weightChange, transposeOther: true),
                rowsOf: initialInput, matrixRMS: weightChangeRMS) / logBase
        }
        if inputChanged && initialWeightRMS > initialWeightThreshold {
            omega = meanLogRatio(
                product: inputChange.matrixProduct(w0, transposeOther: true),
                rowsOf: inputChange, matrixRMS: initialWeightRMS) / logBase
        }
        if inputChanged && weightChanged {
            u = meanLogRatio(
                product: inputChange.matrixProduct(weightChange, transposeOther: true),
                rowsOf: inputChange, matrixRMS: weightChangeRMS) / logBase
        }
        return Alignment(alpha: sanitized(alpha), omega: sanitized(omega), u: sanitized(u))
    }

    /// `sqrt(mean(x²) + ε)` over a flat buffer.
    static func rms<C: Collection>(_ values: C) -> Double where C.Element == Double {
        var sum = 0.0
        for value in values { sum += value * value }
        return (sum / Double(Swift.max(values.count, 1)) + rmsEpsilon).squareRoot()
    }

    /// Mean over rows of `ln rms(product_row) − ln(rms(factor_row) · matrixRMS)`.
    static func meanLogRatio(product: Tensor<Double>, rowsOf factor: Tensor<Double>, matrixRMS: Double) -> Double {
        let rows = factor.shape[0]
        let productWidth = product.shape[1]
        let factorWidth = factor.shape[1]
        guard rows > 0 else { return .nan }
        var total = 0.0
        product.scalars.withUnsafeBufferPointer { p in
            factor.scalars.withUnsafeBufferPointer { f in
                for row in 0..<rows {
                    let productRMS = rms(p[(row * productWidth)..<((row + 1) * productWidth)])
                    let factorRMS = rms(f[(row * factorWidth)..<((row + 1) * factorWidth)])
                    total += log(productRMS) - log(factorRMS * matrixRMS)
                }
            }
        }
        return total / Double(rows)
    }

    /// NaN → 0, +∞ → 1, −∞ → 0.
    static func sanitized(_ value: Double) -> Double {
        if value.isNaN { return 0 }
        if value == .infinity { return 1 }
        if value == -.infinity { return 0 }
        return value
    }
}

extension AlignmentMeasurement {
    /// Programmer-error checks shared by both precisions: `z0` and `z` alike, `w0` and `w` alike, weights
    /// `[nOut, nIn]` and inputs ending in `nIn`.
    static func checkShapes<Scalar: TensorScalar>(
        z0: Tensor<Scalar>, w0: Tensor<Scalar>, z: Tensor<Scalar>, w: Tensor<Scalar>
    ) {
        precondition(z0.shape == z.shape, "AlignmentMeasurement: z0 \(z0.shape) and z \(z.shape) differ in shape")
        precondition(w0.shape == w.shape, "AlignmentMeasurement: w0 \(w0.shape) and w \(w.shape) differ in shape")
        precondition(w0.rank == 2, "AlignmentMeasurement: weights must be [nOut, nIn], got \(w0.shape)")
        precondition(
            z0.rank >= 1 && z0.lastDimension == w0.shape[1],
            "AlignmentMeasurement: inputs \(z0.shape) do not match weights \(w0.shape) (last dimension must be nIn)")
    }
}
