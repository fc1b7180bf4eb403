import Foundation
import Testing
import _MaxPTestSupport
@testable import MaxPDiagnostics

/// The attention concentration measured from a softmax op's l1 and rms (issue 12, item 1).
@Suite struct SoftmaxConcentrationTests {
    /// Causal softmax rows over `count` positions of the given logits (row i sees keys 0…i; masked entries 0).
    static func causalSoftmax(_ logits: [[Double]]) -> [[Double]] {
        logits.enumerated().map { i, row in
            let seen = row.prefix(i + 1)
            let top = seen.max()!
            let weights = seen.map { exp($0 - top) }
            let total = weights.reduce(0, +)
            return weights.map { $0 / total } + Array(repeating: 0, count: row.count - i - 1)
        }
    }

    @Test func theFactorIsTheMeanRowConcentrationForAnyLogits() throws {
        var random = TestRandom(seed: 11)
        for sigma in [0.0, 0.5, 1.5] {
            let logits = (0..<8).map { _ in (0..<8).map { _ in sigma * random.normal() } }
            let p = Self.causalSoftmax(logits)
            let entries = p.flatMap { $0 }
            let l1 = entries.map(abs).reduce(0, +) / Double(entries.count)
            let rms = (entries.map { $0 * $0 }.reduce(0, +) / Double(entries.count)).squareRoot()
            let direct = (p.map { row in row.map { $0 * $0 }.reduce(0, +) }.reduce(0, +) / Double(p.count)).squareRoot()
            let factor = try #require(SoftmaxConcentration.factor(l1: l1, rms: rms))
            #expect(abs(factor - direct) < 1e-12)
        }
    }

    @Test func uniformCausalAttentionHasTheHarmonicConcentration() throws {
        // p_ij = 1/(i+1): mean_i Σ_j p_ij² = H_8 / 8.
        let p = Self.causalSoftmax(Array(repeating: Array(repeating: 0, count: 8), count: 8))
        let entries = p.flatMap { $0 }
        let l1 = entries.reduce(0, +) / 64
        let rms = (entries.map { $0 * $0 }.reduce(0, +) / 64).squareRoot()
        let harmonic = (1...8).map { 1 / Double($0) }.reduce(0, +)
        #expect(abs(l1 - 0.125) < 1e-15)
        #expect(abs(try #require(SoftmaxConcentration.factor(l1: l1, rms: rms)) - (harmonic / 8).squareRoot()) < 1e-12)
    }

    @Test func unusableStatisticsGiveNoFactor() {
        #expect(SoftmaxConcentration.factor(l1: 0, rms: 0.2) == nil)
        #expect(SoftmaxConcentration.factor(l1: 0.125, rms: .nan) == nil)
    }

    @Test func correctedSamplesArePairedBySiteAndDropUnmatched() {
        let samples = [SlopeSample(axisValue: 32, seed: 0, value: 0.6), SlopeSample(axisValue: 64, seed: 0, value: 0.5)]
        let l1 = [SlopeSample(axisValue: 32, seed: 0, value: 0.25)]
        let rms = [SlopeSample(axisValue: 32, seed: 0, value: 0.3)]
        let corrected = SoftmaxConcentration.corrected(samples, softmaxL1: l1, softmaxRMS: rms)
        #expect(corrected.count == 1)
        #expect(abs(corrected[0].value - 0.6 / (0.3 / 0.5)) < 1e-12)
    }
}
