import Foundation
import Testing
import _MaxPTestSupport
@testable import MaxPDiagnostics

/// The LR-transfer verdict is an equivalence test on the drift exponent, grid-edge optima are bounds (never points),
/// and mup's "wider is always better" check reports every breach.
@Suite("LR transfer: verdicts by equivalence, wider is always better")
struct LRTransferVerdictTests {
    let policy = LRTransferPolicy.standard

    @Test("an interval straddling ±0.25 is inconclusive, never 'transfers' (the −0.61 [−1.65, +0.43] SP case)")
    func straddlingIntervalIsInconclusive() {
        let verdict = policy.verdict(drift: -0.61, interval: ClosedInterval(-1.65, 0.43), interiorOptima: 4,
                                     belowGrid: [], aboveGrid: [], seeds: 3)
        guard case let .inconclusive(.intervalTooWide(seeds)) = verdict else {
            Issue.record("expected inconclusive, got \(verdict)")
            return
        }
        // Half-width 1.04 from 3 seeds: per-seed spread s = 1.04·√3 / t₂ = 0.419. The interval t_{n−1}·s/√n drops
        // below the 0.36 to the band's edge first at n = 8 (t₇ = 2.365: 0.350; n = 7, t₆ = 2.447: 0.387).
        #expect(seeds == 8)
    }

    @Test("inside the band transfers, outside shifts, at the band's edge seeds cannot decide")
    func equivalenceBands() {
        #expect(policy.verdict(drift: 0.02, interval: ClosedInterval(-0.1, 0.14), interiorOptima: 4, belowGrid: [],
                               aboveGrid: [], seeds: 3) == .transfers)
        #expect(policy.verdict(drift: -0.98, interval: ClosedInterval(-1.1, -0.86), interiorOptima: 4, belowGrid: [],
                               aboveGrid: [], seeds: 3) == .shifts)
        #expect(policy.verdict(drift: 0.25, interval: ClosedInterval(0.1, 0.4), interiorOptima: 4, belowGrid: [],
                               aboveGrid: [], seeds: 3) == .inconclusive(.intervalTooWide(seedsNeeded: nil)))
        #expect(policy.verdict(drift: 0.1, interval: ClosedInterval(-0.1, 0.3), interiorOptima: 1, belowGrid: [],
                               aboveGrid: [], seeds: 3) == .inconclusive(.tooFewOptima(found: 1)))
    }

    /// Loss = 0.3·(log2 lr − log2 lr*(w))² + 1 + noise on a half-octave grid of `count` points from `lowest`.
    static func trials(drift: Double, lowest: Double = 1e-4, count: Int = 15, noise: Double = 0.01,
                       seeds: Int = 3, widthPenalty: Double = 0) -> [LRTrial] {
        var random = TestRandom(seed: 3)
        let lrs = (0..<count).map { lowest * exp2(Double($0) * 0.5) }
        var trials: [LRTrial] = []
        for (index, width) in [64, 128, 256, 512].enumerated() {
            let optimum = log2(0.01 * pow(Double(width) / 64, drift))
            for lr in lrs {
                for seed in 0..<seeds {
                    let x = log2(lr) - optimum
                    let loss = 0.3 * x * x + 1 + widthPenalty * Double(index) + noise * random.normal()
                    trials.append(LRTrial(parametrization: "sp", width: width, lr: lr, seed: seed, finalLoss: loss))
                }
            }
        }
        return trials
    }

    @Test("optima at the grid's edge are reported as bounds and make the verdict inconclusive, not [0, 0] 'transfers'")
    func gridEdgeOptima() {
        // Every optimum lies below the grid (lr* = 0.01·(w/64)^-1 ≤ 0.01 < 0.05): all at the smallest lr.
        let summary = LRTransferAnalysis.analyze(Self.trials(drift: -1, lowest: 0.05, count: 6)).primary
        #expect(summary.verdict == .inconclusive(.optimumAtGridEdge(belowGrid: [64, 128, 256, 512], aboveGrid: [])))
        #expect(summary.driftExponent == nil)
        #expect(summary.optimumAtEdge.values.allSatisfy { $0 })

        // Only the widest width leaves the grid: the other three still give the drift, the verdict stays open.
        let partial = LRTransferAnalysis.analyze(Self.trials(drift: -1, lowest: 0.0015, count: 12)).primary
        #expect(partial.verdict == .inconclusive(.optimumAtGridEdge(belowGrid: [512], aboveGrid: [])))
        #expect(abs(partial.driftExponent! + 1) < 0.1)
    }

    @Test("a clean SP sweep shifts, a clean µP sweep transfers")
    func cleanSweeps() {
        #expect(LRTransferAnalysis.analyze(Self.trials(drift: -1)).primary.verdict == .shifts)
        #expect(LRTransferAnalysis.analyze(Self.trials(drift: 0)).primary.verdict == .transfers)
    }

    @Test("wider is always better: a wider model ending worse near the optimum is reported per width and lr")
    func widerIsAlwaysBetter() {
        #expect(LRTransferAnalysis.analyze(Self.trials(drift: 0, widthPenalty: -0.05)).primary.widerIsBetterViolations.isEmpty)
        let worse = LRTransferAnalysis.analyze(Self.trials(drift: 0, widthPenalty: 0.2)).primary.widerIsBetterViolations
        // Three width pairs × the best lr and one grid step on either side.
        #expect(worse.count == 9)
        #expect(Set(worse.map(\.width)) == [64, 128, 256])
        #expect(worse.allSatisfy { $0.widerLoss > $0.loss && $0.widerWidth == $0.width * 2 })
        // Seed noise is not a breach: equal losses up to noise pass.
        #expect(LRTransferAnalysis.analyze(Self.trials(drift: 0, noise: 0.05)).primary.widerIsBetterViolations.count <= 1)
    }

    @Test("the verdict and the breaches round-trip through lr_transfer.json")
    func jsonRoundTrip() throws {
        let report = LRTransferAnalysis.analyze(Self.trials(drift: -1, lowest: 0.0015, count: 12))
        let data = try report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let verdict = try #require(object["verdict"] as? [String: Any])
        #expect(verdict["outcome"] as? String == "inconclusive")
        #expect(verdict["reason"] as? String == "optimum_at_grid_edge")
        #expect(verdict["widths_below_grid"] as? [Int] == [512])
        let decoded = try JSONFormat.decoder().decode(LRTransferReport.self, from: data)
        #expect(decoded == report)
    }
}

extension LRTransferVerdictTests {
    @Test("two seeds: the t quantile's fall with more seeds counts in the advice")
    func twoSeedAdvice() {
        // Half-width 0.976 from 2 seeds (t₁ = 12.71): s = 0.1086; 0.12 from the band's edge is reached at n = 6
        // (t₅ = 2.571: 0.114) but not at n = 5 (t₄ = 2.776: 0.135).
        #expect(policy.seedsNeeded(drift: 0.1309, interval: ClosedInterval(-0.8456, 1.1073), seeds: 2) == 6)
    }
}
