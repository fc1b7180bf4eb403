import Foundation
import Testing
@testable import MaxP

/// Statistical and reproducibility checks of the batched ziggurat behind `Tensor.randomNormal`.
@Suite("Tensor.randomNormal (ziggurat)")
struct RandomNormalTests {
    /// Sample moments and tail frequencies of `values`.
    struct Moments {
        var mean = 0.0, variance = 0.0, kurtosis = 0.0
        var beyond3 = 0, beyondTail = 0

        init(_ values: [Double]) {
            let n = Double(values.count)
            mean = values.reduce(0, +) / n
            var m2 = 0.0, m4 = 0.0
            for x in values {
                let d = x - mean, d2 = d * d
                m2 += d2
                m4 += d2 * d2
                if abs(x) > 3 { beyond3 += 1 }
                if abs(x) > NormalZiggurat.tailStart { beyondTail += 1 }
            }
            variance = m2 / n
            kurtosis = (m4 / n) / (variance * variance)
        }
    }

    /// Largest distance between the empirical CDF of `values` and the standard normal CDF (Kolmogorov–Smirnov).
    func kolmogorovSmirnov(_ values: [Double]) -> Double {
        let sorted = values.sorted(), n = Double(values.count)
        var worst = 0.0
        for (i, x) in sorted.enumerated() {
            let phi = 0.5 * (1 + erf(x / 2.0.squareRoot()))
            worst = max(worst, abs(phi - Double(i) / n), abs(phi - Double(i + 1) / n))
        }
        return worst
    }

    /// Checks 10⁶ standard normal draws against N(0, 1). Tolerances are ≈ 5 standard errors (false alarm ≪ 10⁻⁵):
    /// mean ±0.005 (σ/√n = 0.001), variance ±0.007 (√(2/n) = 0.0014), kurtosis 3 ± 0.025 (√(24/n) = 0.0049),
    /// P(|z| > 3) = 0.0027 (±5σ of the count), P(|z| > r = 3.654) = 2.58·10⁻⁴ (the tail sampler), KS distance
    /// < 0.0018 (the 1 % critical value is 1.63/√n = 0.00163).
    func expectStandardNormal(_ values: [Double]) {
        let n = Double(values.count)
        let m = Moments(values)
        #expect(abs(m.mean) < 0.005, "mean \(m.mean)")
        #expect(abs(m.variance - 1) < 0.007, "variance \(m.variance)")
        #expect(abs(m.kurtosis - 3) < 0.025, "kurtosis \(m.kurtosis)")
        let p3 = 2 * 0.5 * erfc(3 / 2.0.squareRoot())
        #expect(abs(Double(m.beyond3) - n * p3) < 5 * (n * p3).squareRoot(), "|z| > 3: \(m.beyond3), expected \(n * p3)")
        let pTail = erfc(NormalZiggurat.tailStart / 2.0.squareRoot())
        #expect(abs(Double(m.beyondTail) - n * pTail) < 5 * (n * pTail).squareRoot(),
                "|z| > r: \(m.beyondTail), expected \(n * pTail)")
        let ks = kolmogorovSmirnov(values)
        #expect(ks < 0.0018, "Kolmogorov–Smirnov distance \(ks)")
    }

    @Test func floatDrawsAreStandardNormal() {
        var generator = SeededGenerator(seed: 2024)
        let t = Tensor<Float>.randomNormal(shape: [1000, 1000], using: &generator)
        expectStandardNormal(t.scalars.map(Double.init))
    }

    @Test func doubleDrawsAreStandardNormal() {
        var generator = SeededGenerator(seed: 7)
        let t = Tensor<Double>.randomNormal(shape: [1_000_000], using: &generator)
        expectStandardNormal(t.scalars)
    }

    @Test func consecutiveFloatDrawsAreUncorrelated() {
        // The two halves of one 64-bit word feed neighbouring elements: their correlation must vanish.
        var generator = SeededGenerator(seed: 99)
        let x = Tensor<Float>.randomNormal(shape: [1_000_000], using: &generator).scalars.map(Double.init)
        var lag1 = 0.0, lag2 = 0.0
        for i in 0..<(x.count - 2) {
            lag1 += x[i] * x[i + 1]
            lag2 += x[i] * x[i + 2]
        }
        let n = Double(x.count - 2)
        #expect(abs(lag1 / n) < 0.005, "lag-1 correlation \(lag1 / n)")
        #expect(abs(lag2 / n) < 0.005, "lag-2 correlation \(lag2 / n)")
    }

    @Test func meanAndStandardDeviationAreApplied() {
        var generator = SeededGenerator(seed: 3)
        let n = 200_000
        let floats = Tensor<Float>.randomNormal(shape: [n], mean: 3, standardDeviation: 0.25, using: &generator)
        let doubles = Tensor<Double>.randomNormal(shape: [n], mean: -2, standardDeviation: 4, using: &generator)
        for (values, mu, sigma) in [(floats.scalars.map(Double.init), 3.0, 0.25), (doubles.scalars, -2.0, 4.0)] {
            let m = Moments(values)
            #expect(abs(m.mean - mu) < 5 * sigma / Double(n).squareRoot(), "mean \(m.mean) vs \(mu)")
            #expect(abs(m.variance.squareRoot() / sigma - 1) < 0.01, "sd \(m.variance.squareRoot()) vs \(sigma)")
        }
    }

    @Test func sameSeedGivesSameNumbers() {
        for shape in [[1], [7], [33, 65], [1024]] {
            var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11), c = SeededGenerator(seed: 12)
            let fa = Tensor<Float>.randomNormal(shape: shape, using: &a)
            let fb = Tensor<Float>.randomNormal(shape: shape, using: &b)
            let fc = Tensor<Float>.randomNormal(shape: shape, using: &c)
            #expect(fa == fb)
            #expect(fa != fc)
            // The generators advanced identically, so later draws agree too.
            #expect(a == b)
            #expect(Tensor<Double>.randomNormal(shape: shape, using: &a) == Tensor<Double>.randomNormal(shape: shape, using: &b))
        }
    }

    @Test func tensorDrawsAreIndependentOfTheScalarBoxMullerCache() {
        // `randomNormal` reads `next()` directly: a pending Box–Muller value of `nextNormal()` changes nothing.
        var plain = SeededGenerator(seed: 42)
        var primed = SeededGenerator(seed: 42)
        _ = primed.nextNormal()  // consumes two uniforms, caches the second normal
        var advanced = SeededGenerator(seed: 42)
        _ = advanced.next()
        _ = advanced.next()
        #expect(Tensor<Float>.randomNormal(shape: [64], using: &primed) == Tensor<Float>.randomNormal(shape: [64], using: &advanced))
        #expect(Tensor<Float>.randomNormal(shape: [64], using: &plain).scalars.allSatisfy { $0.isFinite && abs($0) < 7 })
    }

    @Test func zigguratLayersCloseAtTheTop() {
        // With r and v for 256 layers, the recursion X_{i+1} = f⁻¹(v/X_i + f(X_i)) must end at the mode:
        // the top layer's rectangle [0, X_255] × [f(X_255), 1] has area v.
        let t = NormalZiggurat.tables
        let top = t.edges[NormalZiggurat.layerCount - 1]
        #expect(top > 0 && top < 0.3)
        #expect(abs(top * (1 - t.density[NormalZiggurat.layerCount - 1]) - NormalZiggurat.layerArea) < 1e-9)
        #expect(zip(t.edges, t.edges.dropFirst()).allSatisfy { $0 > $1 })
        // Layer 0 (base strip + tail) has area v too: r·f(r) + ∫_r^∞ f = v.
        let tailArea = (Double.pi / 2).squareRoot() * erfc(NormalZiggurat.tailStart / 2.0.squareRoot())
        #expect(abs(NormalZiggurat.tailStart * t.density[1] + tailArea - NormalZiggurat.layerArea) < 1e-9)
    }
}
