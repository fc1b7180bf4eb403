import Foundation
import Testing
@testable import MaxP

/// The Float ziggurat against its written-out definition: same numbers, same stream position (guards any
/// rewrite of the fill loop, e.g. a vectorized one, against changing the stream).
@Suite("NormalZiggurat Float fill")
struct NormalZigguratTests {
    /// The definition: per 64-bit word two 32-bit draws (low half first); 8 bits layer, 1 bit sign, 23 bits
    /// magnitude; accept below the layer's threshold, else the rare path (which may draw more words).
    static func oneAtATime(count: Int, mean: Float, standardDeviation: Float, using g: inout SeededGenerator) -> [Float] {
        let t = NormalZiggurat.tables
        var out: [Float] = []
        while out.count < count {
            let word = g.next()
            for half in 0..<2 where out.count < count {
                let bits = UInt32(truncatingIfNeeded: word >> (32 * UInt64(half)))
                let layer = Int(bits & 0xFF), magnitude = bits >> 9
                let unsigned = Float(magnitude) * t.floatScale[layer]
                let x = Float(bitPattern: unsigned.bitPattern ^ ((bits & 0x100) << 23))
                if magnitude < t.floatThreshold[layer] {
                    out.append(mean + standardDeviation * x)
                } else if let z = NormalZiggurat.slowPath(layer: layer, x: Double(x), negative: bits & 0x100 != 0, using: &g) {
                    out.append(mean + standardDeviation * Float(z))
                }
            }
        }
        return out
    }

    @Test func fillEqualsTheDefinitionBitForBit() {
        for seed: UInt64 in [0, 1, 7, 2024] {
            for count in [1, 2, 15, 16, 17, 31, 32, 33, 100, 4099, 20_000] {
                var a = SeededGenerator(seed: seed), b = SeededGenerator(seed: seed)
                let expected = Self.oneAtATime(count: count, mean: 0.5, standardDeviation: 0.02, using: &a)
                let actual = Tensor<Float>.randomNormal(shape: [count], mean: 0.5, standardDeviation: 0.02, using: &b)
                #expect(actual.scalars.map(\.bitPattern) == expected.map(\.bitPattern), "seed \(seed), count \(count)")
                #expect(a == b, "generator position after \(count) draws, seed \(seed)")
            }
        }
    }

    @Test func redrawingInPlaceGivesTheNumbersOfAFreshTensor() {
        for count in [1, 17, 4099] {
            var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
            let fresh = Tensor<Float>.randomNormal(shape: [count], standardDeviation: 0.3, using: &a)
            var redrawn = Tensor<Float>(zeros: [count])
            let shared = redrawn  // a second holder: the redraw must copy, not write through it
            redrawn.redrawNormal(standardDeviation: 0.3, using: &b)
            #expect(redrawn.scalars.map(\.bitPattern) == fresh.scalars.map(\.bitPattern), "count \(count)")
            #expect(a == b)
            #expect(shared.scalars.allSatisfy { $0 == 0 })
        }
        var g = SeededGenerator(seed: 4)
        let unchanged = g
        var zero = Tensor<Float>(repeating: 2, shape: [3])
        zero.redrawNormal(standardDeviation: 0, using: &g)
        #expect(zero.scalars == [0, 0, 0] && g == unchanged)
        var doubles = Tensor<Double>(zeros: [5]), d1 = SeededGenerator(seed: 8), d2 = d1
        doubles.redrawNormal(standardDeviation: 2, using: &d1)
        #expect(doubles.scalars == Tensor<Double>.randomNormal(shape: [5], standardDeviation: 2, using: &d2).scalars)
    }

    @Test func rarePathsAreExercised() {
        // The comparison above is only meaningful if draws reach the wedge / tail path: about 1 % of them do.
        var g = SeededGenerator(seed: 5)
        let t = NormalZiggurat.tables
        var rare = 0
        for _ in 0..<10_000 {
            let word = g.next()
            for half in 0..<2 {
                let bits = UInt32(truncatingIfNeeded: word >> (32 * UInt64(half)))
                if bits >> 9 >= t.floatThreshold[Int(bits & 0xFF)] { rare += 1 }
            }
        }
        #expect(rare > 50)
    }

    /// The kernel decides a wedge test by the squeeze lines only when `y` clears them by 2⁻³⁰; that gives the outcome
    /// of `y < exp(−x²/2)` only if, at every magnitude a Float draw of the layer can reach,
    /// `lower·(1 − 2⁻³⁰) ≤ exp(−x²/2) ≤ upper·(1 + 2⁻³⁰)` with the very `exp` the definition calls.
    @Test func squeezeLinesBoundTheComputedDensityWhereverAWedgeDrawLands() {
        let t = NormalZiggurat.tables
        var violations: [String] = []
        for layer in 1..<NormalZiggurat.layerCount {
            let q = t.squeeze[(4 * layer)..<(4 * layer + 4)].map { $0 }
            let first = t.floatThreshold[layer], last: UInt32 = (1 << 23) - 1
            let steps: UInt32 = 2_000
            for k in 0...steps {
                let magnitude = first + UInt32((UInt64(last - first) * UInt64(k)) / UInt64(steps))
                let x = Double(Float(magnitude) * t.floatScale[layer])
                let density = Foundation.exp(-0.5 * x * x)
                let lower = (q[0] + q[1] * x) * (1 - 0x1p-30), upper = (q[2] + q[3] * x) * (1 + 0x1p-30)
                if !(lower <= density && density <= upper) {
                    violations.append("layer \(layer), |x| = \(x): \(lower) ≤ \(density) ≤ \(upper) fails")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
    }

    /// The lines are tight: averaged over the layers (each is picked equally often), they leave under 1 % of the
    /// wedge's height between them, so `exp` is rarely needed; only the layer where the curve changes bending has none.
    @Test func squeezeLinesAreTight() {
        let t = NormalZiggurat.tables
        var gaps: [Double] = []
        for layer in 1..<NormalZiggurat.layerCount {
            let q = t.squeeze[(4 * layer)..<(4 * layer + 4)].map { $0 }
            let a = t.edges[layer + 1], b = t.edges[layer]
            let height = t.density[layer + 1] - t.density[layer]
            let points = (0...64).map { a + (b - a) * Double($0) / 64 }
            gaps.append(points.map { x in (q[2] + q[3] * x) - (q[0] + q[1] * x) }.reduce(0, +) / 65 / height)
        }
        #expect(gaps.reduce(0, +) / Double(gaps.count) < 0.01)
        let straddling = (1..<NormalZiggurat.layerCount).filter { t.edges[$0 + 1] < 1 && t.edges[$0] > 1 }
        #expect(straddling.count == 1 && gaps.indices.filter { gaps[$0] >= 0.5 }.map { $0 + 1 } == straddling)
    }

    /// A million draws — about 15 000 wedge tests and 60 tails — against the definition, and the generator after them.
    @Test func aMillionDrawsEqualTheDefinition() {
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11)
        let expected = Self.oneAtATime(count: 1_000_000, mean: 0, standardDeviation: 1, using: &a)
        let actual = Tensor<Float>.randomNormal(shape: [1_000_000], using: &b)
        #expect(actual.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(a == b)
    }
}
