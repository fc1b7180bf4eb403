import Foundation

/// One measurement fed to a ``SlopeFit``: the statistic of one op at one swept axis value for one seed.
public struct SlopeSample: Codable, Sendable, Equatable {
    /// The swept value (width, depth, head count, …).
    public var axisValue: Int
    /// The seed of the run.
    public var seed: Int
    /// The measured statistic (l1, RMS or Δ-RMS); may be 0, NaN or ±∞.
    public var value: Double

    /// Creates a sample.
    public init(axisValue: Int, seed: Int, value: Double) {
        self.axisValue = axisValue
        self.seed = seed
        self.value = value
    }
}

/// What a ``SlopeFit`` could do with its samples.
public enum SlopeFitStatus: String, Codable, Sendable, Equatable {
    /// A slope was fitted.
    case fitted
    /// Every sample is exactly zero (e.g. a zero-initialized readout at t = 0): reported as `zero`, not fitted.
    case allZero
    /// Some samples are NaN or ±∞ (a divergence). A slope is still fitted on the finite points when at least two
    /// axis values remain, otherwise ``SlopeFit/slope`` is `nil`.
    case diverged
    /// Fewer than two distinct usable axis values: no slope.
    case insufficientData
}

/// The per-seed slope of one seed's samples.
public struct SeedSlope: Codable, Sendable, Equatable {
    /// The seed.
    public var seed: Int
    /// Its OLS slope of log2(statistic) on log2(axis value).
    public var slope: Double
}

/// A log–log slope fit with its uncertainty: OLS of `log2(statistic)` on `log2(axis value)`.
///
/// - ``slope`` is the fit of the **seed-mean** statistic (mean over seeds at each axis value, then log2), which is what
///   `mup` and maxP report (and what `coord_check_slopes.md` holds).
/// - With ≥ 2 seeds, the interval comes from the ``PairedSlopeFit`` of every sample (one intercept per seed, the
///   residual variance pooled over seeds): `slope ± t_{0.975, samples − seeds − 1} · se` (centred on the seed-mean
///   slope so that the reported slope always lies inside its interval); when that fit is impossible, from the
///   per-seed slopes `s_i`: `slope ± t_{0.975, n−1} · sd(s_i)/√n`.
/// - With 1 seed, it is the pooled fit's OLS standard error with Student t on `points − 2` degrees of freedom.
/// - Exact zeros are excluded (an axis value whose seed-mean is zero is dropped from the mean fit); if every sample
///   is zero the status is ``SlopeFitStatus/allZero`` and the slope is reported as 0 with interval `[0, 0]`.
/// - NaN/±∞ samples mark a divergence (``SlopeFitStatus/diverged``, ``divergentAxisValues``); an axis value with any
///   non-finite seed is dropped from the mean fit, and a seed with a non-finite sample is fitted on its finite points.
public struct SlopeFit: Codable, Sendable, Equatable {
    /// What happened (fitted, all zero, diverged, insufficient data).
    public var status: SlopeFitStatus
    /// The slope of log2(seed-mean statistic) on log2(axis value); `nil` when no fit was possible.
    public var slope: Double?
    /// The intercept of that fit (log2 units at axis value 1).
    public var intercept: Double?
    /// The standard error of ``slope`` used for the interval (paired and pooled over seeds, or the OLS error with
    /// one seed).
    public var standardError: Double?
    /// The 95 % interval of the slope; `nil` when it cannot be formed (one seed and only two axis values).
    public var interval95: ClosedInterval?
    /// Student-t degrees of freedom behind ``interval95``.
    public var degreesOfFreedom: Int?
    /// R² of the seed-mean fit (fit quality: how well a power law describes the op).
    public var rSquared: Double?
    /// The OLS standard error of the seed-mean fit itself (curvature/noise along the axis), for information.
    public var fitStandardError: Double?
    /// One slope per seed that had at least two usable axis values, in ascending seed order.
    public var perSeedSlopes: [SeedSlope]
    /// The axis values used in the seed-mean fit, ascending.
    public var fittedAxisValues: [Int]
    /// Number of samples exactly equal to zero (excluded).
    public var excludedZeroCount: Int
    /// Axis values at which some seed gave NaN or ±∞, ascending.
    public var divergentAxisValues: [Int]
    /// `Σ (x − x̄)²` of log2 axis values in the mean fit: how the standard error would shrink with more widths.
    public var sumOfSquaredDeviationsOfLog2Axis: Double

    /// Number of seeds seen in the samples.
    public var seedCount: Int

    /// Fits the samples of one (op, t, statistic). Never traps on zeros, NaN or infinities.
    public static func fit(_ samples: [SlopeSample]) -> SlopeFit {
        let seeds = Array(Set(samples.map(\.seed))).sorted()
        let axisValues = Array(Set(samples.map(\.axisValue))).sorted()
        let zeroCount = samples.filter { $0.value == 0 }.count
        let divergent = Array(Set(samples.filter { !$0.value.isFinite }.map(\.axisValue))).sorted()
        var result = SlopeFit(status: .insufficientData, slope: nil, intercept: nil, standardError: nil,
                              interval95: nil, degreesOfFreedom: nil, rSquared: nil, fitStandardError: nil,
                              perSeedSlopes: [], fittedAxisValues: [], excludedZeroCount: zeroCount,
                              divergentAxisValues: divergent, sumOfSquaredDeviationsOfLog2Axis: 0,
                              seedCount: seeds.count)
        if !samples.isEmpty && zeroCount == samples.count {
            result.status = .allZero
            result.slope = 0
            result.interval95 = ClosedInterval(0, 0)
            return result
        }

        // Seed-mean fit.
        var meanX: [Double] = [], meanY: [Double] = [], used: [Int] = []
        for axis in axisValues where axis > 0 {
            let values = samples.filter { $0.axisValue == axis }.map(\.value)
            guard values.allSatisfy(\.isFinite) else { continue }
            let mean = Descriptive.mean(values)
            guard mean > 0 else { continue }
            meanX.append(log2(Double(axis))); meanY.append(log2(mean)); used.append(axis)
        }
        let meanFit = LinearFit.ordinaryLeastSquares(x: meanX, y: meanY)

        // Per-seed fits.
        for seed in seeds {
            var x: [Double] = [], y: [Double] = []
            for sample in samples where sample.seed == seed && sample.axisValue > 0
                && sample.value.isFinite && sample.value > 0 {
                x.append(log2(Double(sample.axisValue))); y.append(log2(sample.value))
            }
            if let fit = LinearFit.ordinaryLeastSquares(x: x, y: y) {
                result.perSeedSlopes.append(SeedSlope(seed: seed, slope: fit.slope))
            }
        }

        result.status = divergent.isEmpty ? .fitted : .diverged
        guard let meanFit else {
            if divergent.isEmpty { result.status = .insufficientData }
            return result
        }
        result.slope = meanFit.slope
        result.intercept = meanFit.intercept
        result.rSquared = meanFit.rSquared
        result.fitStandardError = meanFit.slopeStandardError
        result.fittedAxisValues = used
        result.sumOfSquaredDeviationsOfLog2Axis = meanFit.sumOfSquaredDeviationsOfX

        let seedSlopes = result.perSeedSlopes.map(\.slope)
        let fittedValues = Set(used)
        if seedSlopes.count >= 2, let paired = PairedSlopeFit.fit(samples.filter { fittedValues.contains($0.axisValue) }) {
            // Paired across axis values within each seed, residual variance pooled over seeds (see PairedSlopeFit).
            let critical = StudentT.criticalValue95(degreesOfFreedom: paired.degreesOfFreedom)
            result.standardError = paired.standardError
            result.degreesOfFreedom = paired.degreesOfFreedom
            result.interval95 = ClosedInterval(meanFit.slope - critical * paired.standardError,
                                               meanFit.slope + critical * paired.standardError)
        } else if seedSlopes.count >= 2 {
            let n = seedSlopes.count
            let standardError = Descriptive.sampleStandardDeviation(seedSlopes) / Double(n).squareRoot()
            let critical = StudentT.criticalValue95(degreesOfFreedom: n - 1)
            result.standardError = standardError
            result.degreesOfFreedom = n - 1
            result.interval95 = ClosedInterval(meanFit.slope - critical * standardError,
                                               meanFit.slope + critical * standardError)
        } else if let standardError = meanFit.slopeStandardError {
            let dof = meanFit.pointCount - 2
            let critical = StudentT.criticalValue95(degreesOfFreedom: dof)
            result.standardError = standardError
            result.degreesOfFreedom = dof
            result.interval95 = ClosedInterval(meanFit.slope - critical * standardError,
                                               meanFit.slope + critical * standardError)
        }
        return result
    }
}
