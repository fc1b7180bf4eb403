import Foundation
import Testing
@testable import MaxP

/// The single-precision GELU kernels (vectorized polynomials) against the closed form in `Double` with `erf`.
@Suite("GELU kernels")
struct GELUKernelTests {
    /// Values and derivatives on a dense grid of [−12, 12] and a few large inputs.
    @Test func floatKernelMatchesTheExactGELU() {
        var inputs = stride(from: -12.0, through: 12.0, by: 1.0 / 256).map { Float($0) }
        inputs += [-80, -30, -13.5, 30, 80, 0, -0.0, 1e-20, -1e-20]
        var value = [Float](repeating: 0, count: inputs.count), slope = value
        inputs.withUnsafeBufferPointer { x in
            value.withUnsafeMutableBufferPointer { v in
                slope.withUnsafeMutableBufferPointer { d in Float.gelu(x, value: v, derivative: d) }
            }
        }
        for (i, x) in inputs.enumerated() {
            let v = Double(x)
            let cdf = erfc(-v / 2.0.squareRoot()) / 2  // not (1 + erf) / 2: that cancels to 0 in the tail
            let exact = v * cdf, exactSlope = cdf + v * exp(-v * v / 2) / (2 * Double.pi).squareRoot()
            // Relative accuracy of a few float ulps, also in the far negative tail where GELU is tiny.
            #expect(abs(Double(value[i]) - exact) <= 1e-6 * abs(exact) + 1e-37, "gelu(\(x)) = \(value[i]), exact \(exact)")
            #expect(abs(Double(slope[i]) - exactSlope) <= 1e-6 * abs(exactSlope) + 1e-6 * abs(v * cdf) + 1e-37,
                    "gelu'(\(x)) = \(slope[i]), exact \(exactSlope)")
        }
    }

    @Test func valueWithoutDerivativeIsTheSame() {
        let inputs: [Float] = [-3, -0.5, 0, 0.25, 2, 7]
        var withSlope = [Float](repeating: 0, count: 6), alone = withSlope, slope = withSlope
        inputs.withUnsafeBufferPointer { x in
            withSlope.withUnsafeMutableBufferPointer { v in
                slope.withUnsafeMutableBufferPointer { d in Float.gelu(x, value: v, derivative: d) }
            }
            alone.withUnsafeMutableBufferPointer { v in Float.gelu(x, value: v, derivative: nil) }
        }
        #expect(withSlope == alone)
    }

    /// The C kernel (16, 8 or 4 lanes, whichever the CPU runs) computes exactly what the portable Swift kernel does,
    /// for every count modulo the lane widths (the padded tail included).
    @Test(arguments: [1, 7, 8, 15, 16, 17, 33, 6145])
    func vectorKernelIsBitIdenticalToThePortableKernel(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        var inputs = Tensor<Float>.randomNormal(shape: [count], standardDeviation: 4, using: &generator).scalars
        let special: [Float] = [-80, -30, -13.5, -12, 0, -0.0, 1e-20, -1e-20, 30, 88, 100]
        for (i, x) in special.enumerated() where i < count { inputs[i] = x }
        func run(_ kernel: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>,
                            UnsafeMutableBufferPointer<Float>?) -> Void) -> ([UInt32], [UInt32]) {
            var value = [Float](repeating: .nan, count: count), slope = value
            inputs.withUnsafeBufferPointer { x in
                value.withUnsafeMutableBufferPointer { v in
                    slope.withUnsafeMutableBufferPointer { d in kernel(x, v, d) }
                }
            }
            return (value.map(\.bitPattern), slope.map(\.bitPattern))
        }
        let vector = run { GELUKernels.gelu($0, value: $1, derivative: $2) }
        let portable = run { GELUKernels.portableGELU($0, value: $1, derivative: $2) }
        #expect(vector.0 == portable.0)
        #expect(vector.1 == portable.1)
    }
}
