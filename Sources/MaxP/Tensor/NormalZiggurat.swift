import CMaxPKernels
import Foundation

/// Fast batched standard-normal sampling for ``Tensor/randomNormal(shape:mean:standardDeviation:using:)``: the
/// 256-layer ziggurat of Marsaglia & Tsang (2000), with the layer index, sign and magnitude taken from disjoint bits
/// of one random word (as NumPy's generator does).
///
/// The density `f(x) = exp(−x²/2)` under the curve is covered by 256 horizontal layers of equal area `v`: layer 0
/// is the base strip `[0, r] × [0, f(r)]` plus the tail beyond `r`; layer `i ≥ 1` is the rectangle
/// `[0, X_i] × [f(X_i), f(X_{i+1})]` with `X_1 = r > X_2 > … > X_256 = 0`. A draw picks a layer and a uniform
/// `x` in `[0, X_i)`; if `x < X_{i+1}` (≈ 99 % of draws) it lies under the curve and is accepted with no
/// transcendental function at all; otherwise the wedge is tested against `exp(−x²/2)` or, in layer 0, a tail
/// value `r + E/r` is drawn by Marsaglia's exponential rejection. The result is an exact sampler of `N(0, 1)`
/// (up to the resolution of the magnitude bits).
///
/// - `Float`: two draws per 64-bit word (per 32 bits: 8 bits layer, 1 bit sign, 23 bits magnitude), Float
///   arithmetic on the fast path, vectorized in C (`maxp_normal_ziggurat_f32`; the rare path in `Double` there too).
/// - `Double`: one draw per word (8 bits layer, 1 bit sign, 52 bits magnitude).
///
/// Deterministic: the output depends only on the generator's state (the tables are computed once from `r` and `v`
/// with IEEE-754 arithmetic and the platform's `exp`/`log`).
enum NormalZiggurat {
    /// Number of layers.
    static let layerCount = 256
    /// Where the tail starts (`r` for 256 layers).
    static let tailStart = 3.6541528853610087963519472518
    /// Area of every layer (`v` for 256 layers), in units of the unnormalized density `exp(−x²/2)`.
    static let layerArea = 4.92867323399e-3

    /// The precomputed layer tables.
    struct Tables: Sendable {
        /// Layer right edges `X_0 … X_256` (`X_0 = v / f(r)` is the base strip's virtual width, `X_256 = 0`).
        var edges: [Double]
        /// `f(X_i)` for `i = 0 … 256` (`f(X_0)` is not used).
        var density: [Double]
        /// `X_i / 2^23` per layer (Float magnitude scale).
        var floatScale: [Float]
        /// `⌊2^23 · X_{i+1} / X_i⌋` per layer: Float magnitudes below it are accepted at once.
        var floatThreshold: [UInt32]
        /// `X_i / 2^52` per layer (Double magnitude scale).
        var doubleScale: [Double]
        /// `⌊2^52 · X_{i+1} / X_i⌋` per layer: Double magnitudes below it are accepted at once.
        var doubleThreshold: [UInt64]
        /// Two lines around the density on each wedge layer's interval, 4 numbers per layer (layer 0's unused):
        /// `lower(|x|) = q[0] + q[1]·|x|` ≤ `f(|x|)` ≤ `upper(|x|) = q[2] + q[3]·|x|` for every `|x|` in
        /// `[X_{i+1}, X_i]` widened by 2⁻²⁰ (so that it covers the Float draws, whose magnitudes are rounded). Where
        /// `f` is convex (`|x| ≥ 1`) the tangent at the midpoint lies below it and the chord above; where it is
        /// concave the other way round; on the one layer where it changes bending, the constants `f(X_i)` and
        /// `f(X_{i+1})`. The C kernel decides a wedge test by them when `y` is clear of both by 2⁻³⁰ (relative),
        /// and computes `exp(−x²/2)` only in between — the same outcome as always computing it.
        var squeeze: [Double]
    }

    /// The tables, built on first use.
    static let tables: Tables = {
        let n = layerCount, r = tailStart, v = layerArea
        func f(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) }
        var edges = [Double](repeating: 0, count: n + 1)
        edges[0] = v / f(r)
        edges[1] = r
        for i in 1..<(n - 1) {
            edges[i + 1] = (-2 * Foundation.log(v / edges[i] + f(edges[i]))).squareRoot()
        }
        edges[n] = 0
        let density = edges.map(f)
        var floatScale = [Float](), floatThreshold = [UInt32](), doubleScale = [Double](), doubleThreshold = [UInt64]()
        for i in 0..<n {
            let ratio = edges[i + 1] / edges[i]
            floatScale.append(Float(edges[i] * 0x1p-23))
            floatThreshold.append(UInt32((ratio * 0x1p23).rounded(.down)))
            doubleScale.append(edges[i] * 0x1p-52)
            doubleThreshold.append(UInt64((ratio * 0x1p52).rounded(.down)))
        }
        return Tables(edges: edges, density: density, floatScale: floatScale, floatThreshold: floatThreshold,
                      doubleScale: doubleScale, doubleThreshold: doubleThreshold, squeeze: squeezeLines(edges: edges))
    }()

    /// ``Tables/squeeze`` for the layer edges `X_0 … X_256`.
    static func squeezeLines(edges: [Double]) -> [Double] {
        func f(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) }
        let widening = 0x1p-20
        var lines = [Double](repeating: 0, count: 4 * layerCount)
        for layer in 1..<layerCount {
            let a = edges[layer + 1] * (1 - widening), b = edges[layer] * (1 + widening)
            let chordSlope = (f(b) - f(a)) / (b - a)
            let chord = (intercept: f(a) - chordSlope * a, slope: chordSlope)
            let t = 0.5 * (a + b)  // f(t) + f'(t)·(|x| − t) with f'(t) = −t·f(t)
            let tangent = (intercept: f(t) * (1 + t * t), slope: -t * f(t))
            let (lower, upper) = a >= 1 ? (tangent, chord)
                : b <= 1 ? (chord, tangent)
                : ((intercept: f(b), slope: 0.0), (intercept: f(a), slope: 0.0))
            lines.replaceSubrange(4 * layer..<4 * layer + 4,
                                  with: [lower.intercept, lower.slope, upper.intercept, upper.slope])
        }
        return lines
    }

    /// Fills `count` Floats at `out` with `mean + standardDeviation · z`, `z ~ N(0, 1)`: the C kernel
    /// `maxp_normal_ziggurat_f32` (16, 8 or 4 draws at a time, whichever the CPU runs), which reads the generator's
    /// words in the order of the one-draw-at-a-time definition (`NormalZigguratTests`) and leaves it in the same state;
    /// its wedge tests use ``Tables/squeeze`` first, with the outcome of ``slowPath(layer:x:negative:using:)``.
    static func fill(_ out: UnsafeMutablePointer<Float>, count: Int, mean: Float, standardDeviation: Float,
                     using generator: inout SeededGenerator) {
        let t = tables
        t.floatScale.withUnsafeBufferPointer { scale in
            t.floatThreshold.withUnsafeBufferPointer { threshold in
                t.density.withUnsafeBufferPointer { density in
                    t.squeeze.withUnsafeBufferPointer { squeeze in
                        generator.withStateWords { state in
                            maxp_normal_ziggurat_f32(state, out, count, mean, standardDeviation, scale.baseAddress,
                                                     threshold.baseAddress, density.baseAddress, squeeze.baseAddress,
                                                     tailStart)
                        }
                    }
                }
            }
        }
    }

    /// Fills `count` Doubles at `out` with `mean + standardDeviation · z`, `z ~ N(0, 1)`.
    static func fill(_ out: UnsafeMutablePointer<Double>, count: Int, mean: Double, standardDeviation: Double,
                     using generator: inout SeededGenerator) {
        let t = tables
        var g = generator
        defer { generator = g }
        t.doubleScale.withUnsafeBufferPointer { scale in
            t.doubleThreshold.withUnsafeBufferPointer { threshold in
                var i = 0
                while i < count {
                    let word = g.next()
                    let layer = Int(word & 0xFF)
                    let magnitude = word &>> 12
                    let unsigned = Double(magnitude) * scale[layer]
                    let x = Double(bitPattern: unsigned.bitPattern ^ ((word & 0x100) &<< 55))
                    if magnitude < threshold[layer] {
                        out[i] = mean + standardDeviation * x
                        i &+= 1
                    } else if let z = slowPath(layer: layer, x: x, negative: word & 0x100 != 0, using: &g) {
                        out[i] = mean + standardDeviation * z
                        i &+= 1
                    }
                }
            }
        }
    }

    /// The rare part of a draw (≈ 1 %): the tail for layer 0, the wedge test otherwise. `nil` means rejected (draw
    /// again).
    @inline(never)
    static func slowPath(layer: Int, x: Double, negative: Bool, using generator: inout SeededGenerator) -> Double? {
        let t = tables
        if layer == 0 {
            // Marsaglia's tail: x = r + E₁/r accepted when 2·E₂ > (E₁/r)²; uniforms in (0, 1] avoid log(0).
            while true {
                let e1 = -Foundation.log(1 - generator.nextUnit()) / tailStart
                let e2 = -Foundation.log(1 - generator.nextUnit())
                if e2 + e2 > e1 * e1 { return negative ? -(tailStart + e1) : tailStart + e1 }
            }
        }
        let lower = t.density[layer], upper = t.density[layer + 1]
        let y = lower + generator.nextUnit() * (upper - lower)
        return y < Foundation.exp(-0.5 * x * x) ? x : nil
    }
}
