import CMaxPKernels
import Foundation

/// The exact GELU `x · Φ(x)` (`Φ` the standard normal CDF) and its derivative `Φ(x) + x · φ(x)`
/// (`φ(x) = (2π)^-1/2 · e^(−x²/2)`), elementwise over buffers.
///
/// `Double` calls the C library's `erf` and `exp` (gradient checks run in `Double`). `Float` — what training runs
/// in — uses branch-free polynomial kernels on SIMD lanes (calling `erff` per element cost a
/// quarter of a GPT training step): `Φ(x) = erfc(−x / 2^(1/2)) / 2` through the Chebyshev fit of Numerical Recipes
/// (`erfc(z) = t · e^(−z² − 1.26551223 + t · P(t))`, `t = 1 / (1 + z/2)`, relative error below 1.2 · 10^-7 for every
/// `z ≥ 0`, so the tail `x → −∞` keeps its relative accuracy) and a Cephes-style `e^x` (range reduction by
/// `ln 2`, degree-6 polynomial, exponent set through the bit pattern).
enum GELUKernels {
    /// Eight single-precision lanes.
    typealias Lanes = SIMD8<Float>

    /// `e^x` lane by lane for `x ≤ 88` in single precision, within a few ulps; lanes below `−87.3` give
    /// `≈ 1.2 · 10^-38`.
    @inline(__always)
    static func exp(_ value: Lanes) -> Lanes {
        // (`clamped(lowerBound:upperBound:)` is not inlined: it cost a third of the kernel.)
        let low = Lanes(repeating: -87.3), high = Lanes(repeating: 88)
        let x = value.replacing(with: low, where: value .< low).replacing(with: high, where: value .> high)
        let magic = Lanes(repeating: 12_582_912)  // 1.5 · 2^23: adding it rounds to an integer in the low mantissa bits
        let k = x * 1.442_695_04 + magic
        let n = k - magic
        let r = (x - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let mantissa = p * r * r + r + 1
        let integer = unsafeBitCast(k, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        return mantissa * unsafeBitCast((integer &+ 127) &<< 23, to: Lanes.self)
    }

    /// `Φ(v)` and `e^(−v²/2)` lane by lane.
    @inline(__always)
    static func normal(_ v: Lanes) -> (cdf: Lanes, gaussian: Lanes) {
        let negative = v .< 0
        let z = v.replacing(with: -v, where: negative) * 0.707_106_781
        let t = 1 / (1 + 0.5 * z)
        var p = Lanes(repeating: 0.170_872_77)
        p = p * t - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        // e^(−v²/2) with v² split into its rounded value and rounding error (Veltkamp/Dekker, no FMA needed):
        // the error of v² alone would be 4 · 10^-6 relative at v = −12.
        let square = v * v
        let split = 4097 * v, high = split - (split - v), low = v - high
        let squareError = ((high * high - square) + 2 * high * low) + low * low
        // Beyond |v| ≈ 13.2, e^(−v²/2) is below the smallest normal float: flush it (and Φ(−|v|)) to 0 rather than
        // keep the clamped exponential's 10^-38.
        let gaussian = (exp(-0.5 * square) * (1 - 0.5 * squareError)).replacing(with: 0, where: square .> 174.6)
        let half = 0.5 * t * gaussian * exp(p * t - 1.265_512_23)  // Φ(−|v|) = erfc(z) / 2
        return ((1 - half).replacing(with: half, where: negative), gaussian)
    }

    /// GELU and (when `derivative` is given) its derivative of every element, single precision: the C kernel
    /// `maxp_gelu_f32` (the same operations as ``portableGELU(_:value:derivative:)`` on 16 / 8 / 4 lanes, whichever
    /// vector unit the CPU has; bit for bit the same results).
    static func gelu(
        _ x: UnsafeBufferPointer<Float>, value: UnsafeMutableBufferPointer<Float>,
        derivative: UnsafeMutableBufferPointer<Float>?
    ) {
        guard x.count > 0, let input = x.baseAddress, let output = value.baseAddress else { return }
        maxp_gelu_f32(input, output, derivative?.baseAddress, x.count)
    }

    /// The portable Swift form of the `Float` kernel, eight lanes at a time: the reference the C kernel is tested
    /// against.
    static func portableGELU(
        _ x: UnsafeBufferPointer<Float>, value: UnsafeMutableBufferPointer<Float>,
        derivative: UnsafeMutableBufferPointer<Float>?
    ) {
        let inverseRootTwoPi: Float = 0.398_942_280
        let count = x.count, width = Lanes.scalarCount
        guard count > 0, let input = x.baseAddress, let output = value.baseAddress else { return }
        let slope = derivative?.baseAddress
        @inline(__always) func run(_ v: Lanes) -> (value: Lanes, slope: Lanes) {
            let (cdf, gaussian) = normal(v)
            return (v * cdf, cdf + v * inverseRootTwoPi * gaussian)
        }
        var i = 0
        while i + width <= count {
            let v = UnsafeRawPointer(input + i).loadUnaligned(as: Lanes.self)
            let (y, d) = run(v)
            UnsafeMutableRawPointer(output + i).storeBytes(of: y, as: Lanes.self)
            if let slope { UnsafeMutableRawPointer(slope + i).storeBytes(of: d, as: Lanes.self) }
            i += width
        }
        if i < count {  // the last few elements, padded with zeros
            var v = Lanes()
            for j in 0..<(count - i) { v[j] = input[i + j] }
            let (y, d) = run(v)
            for j in 0..<(count - i) {
                output[i + j] = y[j]
                slope?[i + j] = d[j]
            }
        }
    }

    /// GELU and (when `derivative` is given) its derivative of every element, double precision, with `erf`.
    static func gelu(
        _ x: UnsafeBufferPointer<Double>, value: UnsafeMutableBufferPointer<Double>,
        derivative: UnsafeMutableBufferPointer<Double>?
    ) {
        let inverseRootTwo = 0.70710678118654752440, inverseRootTwoPi = 0.39894228040143267794
        for i in 0..<x.count {
            let v = x[i]
            let cdf = (1 + Foundation.erf(v * inverseRootTwo)) / 2
            value[i] = v * cdf
            derivative?[i] = cdf + v * inverseRootTwoPi * Foundation.exp(-v * v / 2)
        }
    }
}

extension Float {
    /// GELU kernel (see ``GELUKernels``).
    public static func gelu(
        _ x: UnsafeBufferPointer<Float>, value: UnsafeMutableBufferPointer<Float>,
        derivative: UnsafeMutableBufferPointer<Float>?
    ) {
        GELUKernels.gelu(x, value: value, derivative: derivative)
    }
}

extension Double {
    /// GELU kernel (see ``GELUKernels``).
    public static func gelu(
        _ x: UnsafeBufferPointer<Double>, value: UnsafeMutableBufferPointer<Double>,
        derivative: UnsafeMutableBufferPointer<Double>?
    ) {
        GELUKernels.gelu(x, value: value, derivative: derivative)
    }
}
