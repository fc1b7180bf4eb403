import Foundation
import Testing
@testable import MaxPDiagnostics

@Suite struct SlopeFitTests {
    @Test func studentCriticalValuesMatchTables() {
        let table: [(Int, Double)] = [(1, 12.7062047), (2, 4.3026527), (5, 2.5705818), (30, 2.0422725), (1000, 1.9623392)]
        for (dof, expected) in table {
            #expect(abs(StudentT.criticalValue95(degreesOfFreedom: dof) - expected) < 1e-6)
        }
        #expect(StudentT.criticalValue95(degreesOfFreedom: 0) == .infinity)
        #expect(abs(StudentT.quantile(0.025, degreesOfFreedom: 4) + 2.7764451) < 1e-6)
    }

    @Test func exactPowerLawGivesExactSlopeAndZeroWidthInterval() {
        for exponent in [-0.5, 0.0, 0.5, 1.25] {
            var samples: [SlopeSample] = []
            for width in [64, 128, 256, 512] {
                for seed in 0..<3 {
                    samples.append(SlopeSample(axisValue: width, seed: seed,
                                               value: Double(seed + 1) * pow(Double(width), exponent)))
                }
            }
            let fit = SlopeFit.fit(samples)
            #expect(fit.status == .fitted)
            #expect(abs(fit.slope! - exponent) < 1e-12)
            #expect(fit.perSeedSlopes.count == 3)
            #expect(fit.interval95!.width < 1e-9)
            #expect(abs(fit.rSquared! - 1) < 1e-12)
            #expect(fit.degreesOfFreedom == 12 - 3 - 1)  // paired fit: samples − seeds − 1
        }
    }

    @Test func singleSeedUsesOLSStandardErrorHandComputed() {
        // x = log2 w = 1, 2, 3, 4; y = 0, 1, 1, 3 → x̄ = 2.5, ȳ = 1.25, Sxx = 5, Sxy = 4.5, slope 0.9,
        // intercept −1, residuals 0.1, 0.2, −0.7, 0.4, RSS = 0.7, SE = sqrt(0.7/2/5) = sqrt(0.07).
        let y = [0.0, 1, 1, 3]
        let samples = (1...4).map { SlopeSample(axisValue: 1 << $0, seed: 0, value: exp2(y[$0 - 1])) }
        let fit = SlopeFit.fit(samples)
        #expect(abs(fit.slope! - 0.9) < 1e-12)
        #expect(abs(fit.intercept! + 1) < 1e-12)
        #expect(abs(fit.standardError! - 0.07.squareRoot()) < 1e-12)
        #expect(fit.degreesOfFreedom == 2)
        let half = 4.302652729911275 * 0.07.squareRoot()
        #expect(abs(fit.interval95!.lower - (0.9 - half)) < 1e-6)
        #expect(abs(fit.interval95!.upper - (0.9 + half)) < 1e-6)
        #expect(abs(fit.rSquared! - (1 - 0.7 / 4.75)) < 1e-12)
    }

    @Test func seedIntervalIsMeanSlopePlusMinusTStandardError() {
        // Seed 0 slope 0.4, seed 1 slope 0.6 (pure power laws with equal constants): seed-mean fit is not exactly
        // 0.5. The paired fit's common slope is 0.5; x − x̄_s = −2, 0, 2 in each seed, so Sxx = 16, the residuals
        // are ∓0.2, 0, ±0.2 (RSS = 0.16) on 6 − 2 − 1 = 3 degrees of freedom: half-width t_{0.975,3}·√(0.16/3/16).
        var samples: [SlopeSample] = []
        for width in [64, 256, 1024] {
            samples.append(SlopeSample(axisValue: width, seed: 0, value: pow(Double(width), 0.4)))
            samples.append(SlopeSample(axisValue: width, seed: 1, value: pow(Double(width), 0.6)))
        }
        let fit = SlopeFit.fit(samples)
        let half = 3.182446305284263 * (0.16 / 3 / 16).squareRoot()
        #expect(abs(fit.interval95!.halfWidth - half) < 1e-6)
        #expect(fit.degreesOfFreedom == 3)
        #expect(fit.interval95!.contains(fit.slope!))
        #expect(fit.perSeedSlopes.map(\.slope).map { ($0 * 1000).rounded() / 1000 } == [0.4, 0.6])
    }

    @Test func zerosAreExcludedAndAllZeroIsReported() {
        let allZero = SlopeFit.fit([64, 128, 256].map { SlopeSample(axisValue: $0, seed: 0, value: 0) })
        #expect(allZero.status == .allZero)
        #expect(allZero.slope == 0)
        var samples = [64, 128, 256, 512].map { SlopeSample(axisValue: $0, seed: 0, value: pow(Double($0), -0.5)) }
        samples.append(SlopeSample(axisValue: 1024, seed: 0, value: 0))
        let partial = SlopeFit.fit(samples)
        #expect(partial.excludedZeroCount == 1)
        #expect(abs(partial.slope! + 0.5) < 1e-12)
        #expect(partial.fittedAxisValues == [64, 128, 256, 512])
    }

    @Test func nonFiniteValuesFlagDivergenceWithoutCrashing() {
        var samples = [64, 128, 256, 512].map { SlopeSample(axisValue: $0, seed: 0, value: pow(Double($0), 0.25)) }
        samples.append(SlopeSample(axisValue: 1024, seed: 0, value: .nan))
        samples.append(SlopeSample(axisValue: 2048, seed: 0, value: .infinity))
        let fit = SlopeFit.fit(samples)
        #expect(fit.status == .diverged)
        #expect(fit.divergentAxisValues == [1024, 2048])
        #expect(abs(fit.slope! - 0.25) < 1e-12)
        let hopeless = SlopeFit.fit([SlopeSample(axisValue: 64, seed: 0, value: .nan),
                                     SlopeSample(axisValue: 128, seed: 0, value: -.infinity)])
        #expect(hopeless.status == .diverged)
        #expect(hopeless.slope == nil)
    }

    /// The golden MLP coordinate checks: the seed-mean OLS slope reproduces the reference slopes within 0.01.
    @Test func reproducesGoldenReferenceSlopes() throws {
        let url = Fixtures.goldenDirectory().appendingPathComponent("coord_check_reference.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let config = try #require(root["config"] as? [String: Any])
        let widths = try #require(config["widths"] as? [Int])
        var checked = 0
        for library in ["mup", "maxp"] {
            let variants = try #require(root[library] as? [String: Any])
            for (_, variantValue) in variants {
                guard let layers = variantValue as? [String: Any] else { continue }
                for (layer, layerValue) in layers where !layer.hasPrefix("_") {
                    let perT = try #require((layerValue as? [String: Any])?["per_t"] as? [String: Any])
                    for (_, stepValue) in perT {
                        let step = try #require(stepValue as? [String: Any])
                        let seedValues = try #require(step["l1_seed_values"] as? [[Double]])
                        let reference = try #require(step["slope_l1"] as? Double)
                        var samples: [SlopeSample] = []
                        for (w, values) in zip(widths, seedValues) {
                            for (seed, value) in values.enumerated() {
                                samples.append(SlopeSample(axisValue: w, seed: seed, value: value))
                            }
                        }
                        let fit = SlopeFit.fit(samples)
                        #expect(abs(fit.slope! - reference) < 0.01, "\(library) \(layer)")
                        #expect(fit.interval95!.contains(fit.slope!))
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 2 * 4 * 3 + 5 * 4 * 3)
    }
}
