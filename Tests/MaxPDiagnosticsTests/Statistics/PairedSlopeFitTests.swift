import Foundation
import Testing
import _MaxPTestSupport
@testable import MaxPDiagnostics

/// The paired, pooled slope fit (issue 12, item 4): same data, more degrees of freedom, a tighter honest interval.
@Suite struct PairedSlopeFitTests {
    @Test func exactPowerLawsWithSeedOffsetsFitExactly() throws {
        var samples: [SlopeSample] = []
        for width in [64, 128, 256, 512] {
            for seed in 0..<3 {
                samples.append(SlopeSample(axisValue: width, seed: seed, value: Double(seed + 1) * pow(Double(width), -0.5)))
            }
        }
        let fit = try #require(PairedSlopeFit.fit(samples))
        #expect(abs(fit.slope + 0.5) < 1e-12)
        #expect(fit.standardError < 1e-12)
        #expect(fit.degreesOfFreedom == 12 - 3 - 1 && fit.seedCount == 3)
    }

    @Test func standardErrorMatchesTheClosedForm() throws {
        // Two seeds, residuals ±e alternating: RSS and Σ(x − x̄_s)² by hand.
        let e = 0.1
        var samples: [SlopeSample] = []
        for seed in 0..<2 {
            for (i, width) in [2, 4, 8].enumerated() {
                let residual = [e, -2 * e, e][i] * (seed == 0 ? 1 : -1)
                samples.append(SlopeSample(axisValue: width, seed: seed, value: pow(2, Double(i + 1) * 0.25 + residual)))
            }
        }
        let fit = try #require(PairedSlopeFit.fit(samples))
        // x = 1, 2, 3 per seed: Sxx = 2 + 2 = 4; the residual pattern is orthogonal to x, so the slope is exact.
        #expect(abs(fit.slope - 0.25) < 1e-12)
        let rss = 2 * (e * e + 4 * e * e + e * e)
        #expect(fit.degreesOfFreedom == 6 - 2 - 1)
        #expect(abs(fit.standardError - (rss / 3 / 4).squareRoot()) < 1e-12)
    }

    @Test func theSlopeFitUsesThePairedIntervalAndItIsTighterThanPerSeedSpread() throws {
        // Noisy power law, 4 widths × 3 seeds: the per-seed interval has t(2) = 4.30, the paired one t(8) = 2.31.
        var random = TestRandom(seed: 11)
        var samples: [SlopeSample] = []
        for width in [64, 128, 256, 512] {
            for seed in 0..<3 {
                samples.append(SlopeSample(axisValue: width, seed: seed,
                                           value: pow(Double(width), 0.25) * exp(0.05 * random.normal())))
            }
        }
        let fit = SlopeFit.fit(samples)
        #expect(fit.degreesOfFreedom == 8)
        let paired = try #require(PairedSlopeFit.fit(samples))
        let interval = try #require(fit.interval95)
        #expect(abs(interval.halfWidth - paired.halfWidth95) < 1e-12)
        let seedSlopes = fit.perSeedSlopes.map(\.slope)
        let perSeed = StudentT.criticalValue95(degreesOfFreedom: 2) * Descriptive.sampleStandardDeviation(seedSlopes) / 3.0.squareRoot()
        #expect(interval.halfWidth < perSeed)
        #expect(interval.contains(0.25))
    }
}
