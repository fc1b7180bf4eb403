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
}
