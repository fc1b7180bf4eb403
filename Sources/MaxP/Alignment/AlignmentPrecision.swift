/// The floating-point type the alignment products are computed in.
public enum AlignmentPrecision: String, Codable, Sendable, CaseIterable {
    /// Products in the model's scalar type (a `Float` GEMM for `Float` models); norms, logarithms and means in
    /// `Double`. Agrees with ``double`` to about `1e-4`.
    case modelScalar
    /// Everything in `Double` through ``AlignmentMeasurement/measure(z0:w0:z:w:fanIn:)`` (the reference path).
    case double
}
