/// An ordinary-least-squares straight line `y = intercept + slope · x`, with the slope's standard error and R².
///
/// This is the workhorse of every log–log slope: `x = log2(axis value)`, `y = log2(statistic)`.
public struct LinearFit: Codable, Sendable, Equatable {
    /// The fitted slope `dy/dx`.
    public var slope: Double
    /// The fitted value at `x = 0`.
    public var intercept: Double
    /// The OLS standard error of the slope, `sqrt(RSS / (n − 2) / Sxx)`; `nil` with fewer than 3 points.
    public var slopeStandardError: Double?
    /// The coefficient of determination (1 for a perfect line; 1 as well when all `y` are equal).
    public var rSquared: Double
    /// The number of points fitted.
    public var pointCount: Int
    /// `Σ (x − x̄)²`, the spread of the regressor (the slope's standard error scales as `1/√Sxx`).
    public var sumOfSquaredDeviationsOfX: Double

    /// Fits `y` on `x` by ordinary least squares; `nil` when fewer than 2 points or all `x` are equal.
    /// Both arrays must have the same length and hold finite values.
    public static func ordinaryLeastSquares(x: [Double], y: [Double]) -> LinearFit? {
        precondition(x.count == y.count, "x and y must have the same length")
        let n = x.count
        guard n >= 2 else { return nil }
        let meanX = x.reduce(0, +) / Double(n)
        let meanY = y.reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = x[i] - meanX, dy = y[i] - meanY
            sxx += dx * dx; sxy += dx * dy; syy += dy * dy
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        let intercept = meanY - slope * meanX
        var rss = 0.0
        for i in 0..<n {
            let residual = y[i] - (intercept + slope * x[i])
            rss += residual * residual
        }
        let standardError: Double? = n > 2 ? (rss / Double(n - 2) / sxx).squareRoot() : nil
        let rSquared = syy > 0 ? max(0, 1 - rss / syy) : 1
        return LinearFit(slope: slope, intercept: intercept, slopeStandardError: standardError,
                         rSquared: rSquared, pointCount: n, sumOfSquaredDeviationsOfX: sxx)
    }
}

/// A closed interval `[lower, upper]`, encoded in JSON as the two-element array `[lower, upper]`.
public struct ClosedInterval: Codable, Sendable, Equatable, Hashable {
    /// The lower end.
    public var lower: Double
    /// The upper end.
    public var upper: Double

    /// Creates `[lower, upper]`.
    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// `upper − lower`.
    public var width: Double { upper - lower }
    /// Half of the width: the `±` of a symmetric interval.
    public var halfWidth: Double { 0.5 * (upper - lower) }
    /// Whether `value` lies in the interval (ends included).
    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
    /// The interval moved by `offset`.
    public func shifted(by offset: Double) -> ClosedInterval { ClosedInterval(lower + offset, upper + offset) }
    /// Whether both ends are finite.
    public var isFinite: Bool { lower.isFinite && upper.isFinite }

    /// Decodes `[lower, upper]`.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        lower = try container.decode(Double.self)
        upper = try container.decode(Double.self)
        guard container.isAtEnd else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an interval has exactly two numbers [lo, hi]")
        }
    }

    /// Encodes `[lower, upper]`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(lower)
        try container.encode(upper)
    }
}

/// Small descriptive statistics shared by the fits.
enum Descriptive {
    /// The arithmetic mean (NaN for an empty array).
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation (n − 1 denominator); 0 for fewer than 2 values.
    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        let m = mean(values)
        let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(values.count - 1)).squareRoot()
    }
}
