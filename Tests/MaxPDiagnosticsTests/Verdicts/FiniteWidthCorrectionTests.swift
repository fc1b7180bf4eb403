import Foundation
import Testing
import _MaxPTestSupport
@testable import MaxPDiagnostics

/// Finite-width bias at init (issue 12, item 1): a bias that fades with width is not a parametrization error,
/// a wrong exponent is caught whatever the depth.
@Suite struct FiniteWidthCorrectionTests {
    /// Samples `c · w^slope · (1 + k/w) · e^(noise·N)` for three seeds over `widths`.
    static func samples(slope: Double, k: Double, widths: [Int] = [32, 64, 128, 256, 512], noise: Double = 0.01,
                        seed: UInt64 = 3) -> [SlopeSample] {
        var random = TestRandom(seed: seed)
        var result: [SlopeSample] = []
        for width in widths {
            for s in 0..<3 {
                let n = Double(width)
                let value = (0.8 + 0.1 * Double(s)) * pow(n, slope) * (1 + k / n) * exp(noise * random.normal())
                result.append(SlopeSample(axisValue: width, seed: s, value: value))
            }
        }
        return result
    }

    @Test func aBiasThatFadesWithWidthIsExplained() throws {
        // (1 − 12/w): the fit over 32…512 tilts by about +0.1, the large-width end is flat.
        let samples = Self.samples(slope: 0, k: -12)
        let fit = SlopeFit.fit(samples)
        let slope = try #require(fit.slope)
        #expect(slope > 0.1)
        let review = try #require(FiniteWidthCorrection.review(samples: samples, deviation: slope,
                                                               expectation: .point(0, rule: "test"),
                                                               tolerance: 0.1, maxHalfWidth: 0.2))
        #expect(review.outcome == .explained)
        #expect(review.droppedAxisValues.first == 32)
        #expect(abs(review.largeEndDeviation) <= 0.1)
    }

    @Test func aWrongExponentPersistsAtEveryWidth() throws {
        // A pure power-law deviation of +0.3 plus the same bias: it does not fade.
        let samples = Self.samples(slope: 0.3, k: -12)
        let slope = try #require(SlopeFit.fit(samples).slope)
        let review = try #require(FiniteWidthCorrection.review(samples: samples, deviation: slope,
                                                               expectation: .point(0, rule: "test"),
                                                               tolerance: 0.1, maxHalfWidth: 0.2))
        #expect(review.outcome == .persists)
        #expect(abs(review.largeEndDeviation - 0.3) < 0.1)
    }

    @Test func tooFewAxisValuesAreNotReviewed() {
        let samples = Self.samples(slope: 0, k: -12, widths: [32, 64, 128])
        #expect(FiniteWidthCorrection.review(samples: samples, deviation: 0.2, expectation: .point(0, rule: "test"),
                                             tolerance: 0.1, maxHalfWidth: 0.2) == nil)
    }

    @Test func theBiasIsOkAndItsConsumersCarryIt() throws {
        // relu_2 carries a fading bias (it grows over all widths); the readout inherits it through its input.
        let widths = [32, 64, 128, 256, 512]
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 0, widths: widths) { op, _, _ in
            op == "readout" ? -0.5 : 0
        }
        var biased = table
        for index in biased.rows.indices where ["relu_2", "readout"].contains(biased.rows[index].op) {
            let n = Double(biased.rows[index].axisValue)
            biased.rows[index].l1 *= 1 - 14 / n
            biased.rows[index].rms *= 1 - 14 / n
        }
        let verdicts = Diagnosis.judge(biased)
        let relu = try #require(verdicts.first { $0.op == "relu_2" && $0.statistic == .l1 })
        #expect(relu.verdict == .ok && relu.reason == .finiteWidthBias, "\(relu.message)")
        #expect((relu.fit.slope ?? 0) > 0.1)
        #expect({ if case let .finiteWidth(_, review) = relu.explanation { review.outcome == .explained } else { false } }())
        let readout = try #require(verdicts.first { $0.op == "readout" && $0.statistic == .l1 })
        #expect(readout.verdict != .grows && readout.suggestedDeltaA == nil, "\(readout.message)")
    }

    // MARK: - The reproducer on the real engine

    /// A deep µP MLP at small widths (the issue's `--depth 5 --widths 32…512` effect, made fast: input 32, batch 32,
    /// widths 32…256, depth 8, init only).
    static func deepPlan(fault: Fault? = nil) -> SweepPlan {
        EngineFixtures.mlpPlan(.mup, lr: 1e-3, steps: 0, widths: [32, 64, 128, 256], fault: fault, depth: 8)
    }

    @Test func aDeepCorrectMuPMLPIsNotFlaggedAtInit() throws {
        let report = try SweepRunner.run(Self.deepPlan()).slopeReport()
        let flagged = report.ops.filter { $0.t == 0 && $0.verdict.isDeviation }
        #expect(flagged.isEmpty, "\(EngineFixtures.listing(report) { $0.t == 0 && $0.verdict.isDeviation })")
    }

    @Test func plantedFaultsInTheDeepMLPAreStillFoundWithTheirDeltaA() throws {
        let readout = try SweepRunner.run(Self.deepPlan(fault: .missingReadoutMultiplier)).slopeReport()
        let entry = try #require(readout.entry(op: "readout", t: 0, statistic: .l1))
        #expect(entry.verdict == .grows && entry.inheritedFrom == nil)
        #expect(abs((entry.suggestedDeltaA ?? 0) - 0.5) <= 0.05, "\(entry.message)")
        let embedding = try SweepRunner.run(Self.deepPlan(fault: .embeddingMultiplier)).slopeReport()
        let first = try #require(embedding.entry(op: "fc_1", t: 0, statistic: .l1))
        #expect(first.verdict == .shrinks)
        #expect(abs((first.suggestedDeltaA ?? 0) + 0.5) <= 0.05, "\(first.message)")
    }
}
