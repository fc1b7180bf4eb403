import Foundation

/// A log–log slope fitted on every (seed, axis value) sample at once, each seed with its own intercept: the fit
/// pairs the axis values within a seed (every width of a seed sees the same data batch, so a seed's batch only
/// moves its whole curve up or down) and pools the residual variance over all seeds.
///
/// Model: `log2(statistic) = c_seed + slope · log2(axis value) + ε`. The slope is the pooled within-seed OLS slope
/// `Σ (x − x̄_s)(y − ȳ_s) / Σ (x − x̄_s)²`; its standard error `sqrt(RSS / dof / Σ (x − x̄_s)²)` has
/// `dof = samples − seeds − 1` degrees of freedom (11 for 5 widths × 3 seeds, against 2 for the spread of three
/// per-seed slopes), so the same data give a much tighter Student-t critical value (2.2 instead of 4.3).
/// Samples that are zero, negative or non-finite are left out; a seed with fewer than two axis values adds nothing.
public struct PairedSlopeFit: Codable, Sendable, Equatable {
    /// The pooled within-seed slope.
    public var slope: Double
    /// Its standard error from the pooled residual variance.
    public var standardError: Double
    /// Residual degrees of freedom (`samples − seeds − 1`).
    public var degreesOfFreedom: Int
    /// Seeds that contributed (two or more usable axis values).
    public var seedCount: Int

    /// The 95 % half-width `t_{0.975, dof} · standardError`.
    public var halfWidth95: Double {
        StudentT.criticalValue95(degreesOfFreedom: degreesOfFreedom) * standardError
    }

    /// Fits `samples`; `nil` when fewer than one residual degree of freedom remains or the axis values do not vary
    /// within any seed.
    public static func fit(_ samples: [SlopeSample]) -> PairedSlopeFit? {
        var bySeed: [Int: [(x: Double, y: Double)]] = [:]
        for sample in samples where sample.axisValue > 0 && sample.value.isFinite && sample.value > 0 {
            bySeed[sample.seed, default: []].append((log2(Double(sample.axisValue)), log2(sample.value)))
        }
        var sxx = 0.0, sxy = 0.0, count = 0, seeds = 0
        var centred: [[(x: Double, y: Double)]] = []
        for seed in bySeed.keys.sorted() {
            let points = bySeed[seed]!
            guard points.count >= 2 else { continue }
            let meanX = points.map(\.x).reduce(0, +) / Double(points.count)
            let meanY = points.map(\.y).reduce(0, +) / Double(points.count)
            let seedPoints = points.map { ($0.x - meanX, $0.y - meanY) }
            for (x, y) in seedPoints { sxx += x * x; sxy += x * y }
            centred.append(seedPoints)
            count += points.count
            seeds += 1
        }
        let dof = count - seeds - 1
        guard sxx > 0, dof >= 1 else { return nil }
        let slope = sxy / sxx
        var rss = 0.0
        for points in centred {
            for (x, y) in points { rss += (y - slope * x) * (y - slope * x) }
        }
        return PairedSlopeFit(slope: slope, standardError: (rss / Double(dof) / sxx).squareRoot(),
                              degreesOfFreedom: dof, seedCount: seeds)
    }
}
