import CBLAS
import Foundation

/// A floating-point type that tensors can hold: `Float` for training, `Double` for gradient checks and statistics.
///
/// The protocol exists so that one generic tensor type can dispatch matrix products to the right BLAS routine
/// (`cblas_sgemm` or `cblas_dgemm`) and reach the elementary functions of the C library.
public protocol TensorScalar: BinaryFloatingPoint, Codable, Sendable, CustomStringConvertible
where RawSignificand: FixedWidthInteger {
    /// Row-major general matrix product `C = alpha · op(A) · op(B) + beta · C` through CBLAS.
    ///
    /// - Parameters:
    ///   - transposeA: whether `op(A) = Aᵀ` (A is then stored `k × m`).
    ///   - transposeB: whether `op(B) = Bᵀ` (B is then stored `n × k`).
    ///   - m: rows of `op(A)` and `C`; `n`: columns of `op(B)` and `C`; `k`: the contracted dimension.
    ///   - lda, ldb, ldc: row strides (leading dimensions) of the stored matrices.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// `e^x`.
    static func exp(_ x: Self) -> Self
    /// Natural logarithm.
    static func log(_ x: Self) -> Self
    /// Hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// Error function.
    static func erf(_ x: Self) -> Self
    /// `x^y`.
    static func pow(_ x: Self, _ y: Self) -> Self
    /// The exact GELU `x · Φ(x)` of every element of `x` into `value` and, when given, its derivative
    /// `Φ(x) + x · φ(x)` into `derivative` (vectorized polynomial kernels for `Float`, `erf` for `Double`; see
    /// `GELUKernels`).
    static func gelu(
        _ x: UnsafeBufferPointer<Self>, value: UnsafeMutableBufferPointer<Self>,
        derivative: UnsafeMutableBufferPointer<Self>?)
}

extension Float: TensorScalar {
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    @inlinable public static func erf(_ x: Float) -> Float { Foundation.erf(x) }
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: TensorScalar {
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func erf(_ x: Double) -> Double { Foundation.erf(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}

/// Controls how many threads OpenBLAS uses for every matrix product in this process.
public enum BLASThreads {
    /// Sets the OpenBLAS thread count (1 makes results bit-reproducible and avoids oversubscription in sweeps).
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(count)) }
    /// The current OpenBLAS thread count.
    public static var current: Int { Int(openblas_get_num_threads()) }
    /// The name of the CPU kernel OpenBLAS selected at run time (for benchmark records).
    public static var coreName: String { String(cString: openblas_get_corename()) }
}
