import Foundation

/// Student's t distribution: the quantiles behind every 95 % interval in the diagnostics (slopes across seeds,
/// single-seed OLS fits, learning-rate drift).
///
/// The CDF uses the regularized incomplete beta function (Lentz continued fraction); the quantile inverts it by
/// bisection, accurate to ~1e-12, which is far below anything a verdict depends on.
public enum StudentT {
    /// The two-sided 95 % critical value `t_{0.975, dof}`; `+∞` for `dof < 1` (no interval can be formed).
    public static func criticalValue95(degreesOfFreedom dof: Int) -> Double {
        if dof >= 1 && dof < criticalValues95.count { return criticalValues95[dof] }
        return quantile(0.975, degreesOfFreedom: Double(dof))
    }

    /// `t_{0.975, dof}` for dof 0…255, computed once (every slope fit needs one; the bisection is the slow part).
    private static let criticalValues95: [Double] = (0..<256).map { quantile(0.975, degreesOfFreedom: Double($0)) }

    /// The `p`-quantile of Student's t with `dof` degrees of freedom (`0 < p < 1`); `±∞` for `dof ≤ 0`.
    public static func quantile(_ p: Double, degreesOfFreedom dof: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile level must lie in (0, 1)")
        guard dof > 0 else { return p >= 0.5 ? .infinity : -.infinity }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: dof) }
        var low = 0.0, high = 1.0
        while cdf(high, degreesOfFreedom: dof) < p { high *= 2; if high > 1e12 { return .infinity } }
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if cdf(mid, degreesOfFreedom: dof) < p { low = mid } else { high = mid }
            if high - low <= 1e-13 * max(1, high) { break }
        }
        return 0.5 * (low + high)
    }

    /// The cumulative distribution function `P(T ≤ t)` with `dof > 0` degrees of freedom.
    public static func cdf(_ t: Double, degreesOfFreedom dof: Double) -> Double {
        let x = dof / (dof + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: dof / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The regularized incomplete beta function `I_x(a, b)`.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logBeta + logPowers
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - front * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...400 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
