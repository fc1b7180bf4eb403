import Foundation

/// Finds the optimal learning rate per width and how it drifts with width.
///
/// Per (parametrization, width): the mean final loss over seeds per lr (an lr where any seed diverged counts as
/// diverged); the best grid point; then a least-squares parabola of loss against `log2(lr)` over the 5 grid points
/// centred on it (3 when the 5-point window leaves the grid or holds a divergence). The vertex, clamped to the
/// window, is lr*. At the grid's edge, next to a divergence on both sides, or with a non-convex parabola, lr* is the
/// best grid point and is flagged (``LRTransferSummary/optimumAtEdge``).
/// Interval of lr*: with ≥ 2 seeds, the per-seed optima (same method) give `log2 lr* ± t_{0.975,n−1}·sd/√n`;
/// with one seed, ± half a grid step. Drift exponent: OLS slope of `log2 lr*` on `log2 width` through the widths
/// whose optimum lies inside the grid (an optimum at the grid's smallest or largest lr is only a bound, never used
/// as a point); its interval from the per-seed drifts (≥ 2 seeds, centred on the drift) or the OLS standard error
/// on `widths − 2` degrees of freedom. The verdict is decided by equivalence (``LRTransferPolicy``), and mup's
/// second check, "wider is always better", is run on the lrs near each width's optimum.
public enum LRTransferAnalysis {
    /// Analyzes the trials. `primary` picks the parametrization of the top-level contract fields (default: the first
    /// label in `trials`).
    public static func analyze(_ trials: [LRTrial], primary: String? = nil,
                               policy: LRTransferPolicy = .standard) -> LRTransferReport {
        var labels: [String] = []
        for trial in trials where !labels.contains(trial.parametrization) { labels.append(trial.parametrization) }
        var summaries: [String: LRTransferSummary] = [:]
        for label in labels {
            summaries[label] = summarize(trials.filter { $0.parametrization == label }, label: label, policy: policy)
        }
        let chosen = primary ?? labels.first ?? ""
        let head = summaries[chosen] ?? LRTransferSummary(parametrization: chosen, widths: [], lrs: [], optimum: [:],
                                                          optimumCI95: [:], optimumAtEdge: [:], meanLoss: [:],
                                                          driftExponent: nil, driftCI95: nil,
                                                          verdict: .inconclusive(.tooFewOptima(found: 0)))
        return LRTransferReport(primary: head, byParametrization: summaries, parametrizations: labels)
    }

    /// The result of locating an optimum on one loss-vs-lr curve.
    public struct Optimum: Sendable, Equatable {
        /// log2 of the optimal learning rate.
        public var log2LR: Double
        /// Whether it is a grid point at the edge / not refined.
        public var atEdge: Bool
        /// Set when the best grid point is the grid's smallest (`.below`) or largest (`.above`) learning rate: the
        /// true optimum lies beyond the grid, so ``log2LR`` is only a bound.
        public var gridEdge: GridEdge?

        /// Creates an optimum.
        public init(log2LR: Double, atEdge: Bool, gridEdge: GridEdge? = nil) {
            self.log2LR = log2LR
            self.atEdge = atEdge
            self.gridEdge = gridEdge
        }
    }

    /// Which end of the learning-rate grid an optimum sits at.
    public enum GridEdge: Sendable, Equatable {
        /// The smallest learning rate of the grid was best: extend the grid downwards.
        case below
        /// The largest learning rate of the grid was best: extend the grid upwards.
        case above
    }

    /// Locates the optimum of `losses` (one per entry of ascending `lrs`; `nil` = diverged). `nil` if all diverged.
    public static func optimum(lrs: [Double], losses: [Double?]) -> Optimum? {
        precondition(lrs.count == losses.count, "one loss per learning rate")
        let x = lrs.map { log2($0) }
        var best: Int?
        for (index, loss) in losses.enumerated() {
            guard let loss, loss.isFinite else { continue }
            if best == nil || loss < losses[best!]! { best = index }
        }
        guard let best else { return nil }
        if best == 0 || best == lrs.count - 1 {
            return Optimum(log2LR: x[best], atEdge: true, gridEdge: best == 0 ? .below : .above)
        }
        func window(_ radius: Int) -> [Int]? {
            guard best - radius >= 0, best + radius < lrs.count else { return nil }
            let indices = Array((best - radius)...(best + radius))
            return indices.allSatisfy({ losses[$0]?.isFinite ?? false }) ? indices : nil
        }
        guard let indices = window(2) ?? window(1) else { return Optimum(log2LR: x[best], atEdge: true) }
        let xs = indices.map { x[$0] }, ys = indices.map { losses[$0]! }
        guard let vertex = parabolaVertex(x: xs, y: ys) else { return Optimum(log2LR: x[best], atEdge: true) }
        return Optimum(log2LR: min(max(vertex, xs.first!), xs.last!), atEdge: false)
    }

    /// The vertex of the least-squares parabola through the points, `nil` when it is not convex.
    static func parabolaVertex(x: [Double], y: [Double]) -> Double? {
        let center = x.reduce(0, +) / Double(x.count)
        var s = [Double](repeating: 0, count: 5), t = [Double](repeating: 0, count: 3)
        for (xi, yi) in zip(x, y) {
            let u = xi - center
            var power = 1.0
            for k in 0..<5 {
                s[k] += power
                if k < 3 { t[k] += power * yi }
                power *= u
            }
        }
        // Normal equations for y = c0 + c1 u + c2 u².
        var matrix = [[s[0], s[1], s[2], t[0]], [s[1], s[2], s[3], t[1]], [s[2], s[3], s[4], t[2]]]
        for column in 0..<3 {
            let pivot = (column..<3).max { abs(matrix[$0][column]) < abs(matrix[$1][column]) }!
            matrix.swapAt(column, pivot)
            guard abs(matrix[column][column]) > 1e-300 else { return nil }
            for row in 0..<3 where row != column {
                let factor = matrix[row][column] / matrix[column][column]
                for k in column..<4 { matrix[row][k] -= factor * matrix[column][k] }
            }
        }
        let c1 = matrix[1][3] / matrix[1][1], c2 = matrix[2][3] / matrix[2][2]
        guard c2 > 0, c2.isFinite, c1.isFinite else { return nil }
        return center - c1 / (2 * c2)
    }

    private static func summarize(_ trials: [LRTrial], label: String, policy: LRTransferPolicy) -> LRTransferSummary {
        let widths = Array(Set(trials.map(\.width))).sorted()
        let lrs = Array(Set(trials.map(\.lr))).sorted()
        let seeds = Array(Set(trials.map(\.seed))).sorted()
        let gridStep = lrs.count >= 2 ? (log2(lrs.last!) - log2(lrs.first!)) / Double(lrs.count - 1) : 1
        var optima: [String: Double] = [:], intervals: [String: ClosedInterval] = [:]
        var atEdge: [String: Bool] = [:], meanLoss: [String: [Double?]] = [:]
        var optimaLog2: [(width: Int, log2LR: Double)] = []
        var belowGrid: [Int] = [], aboveGrid: [Int] = []
        var perSeedOptima: [Int: [(width: Int, log2LR: Double)]] = [:]

        for width in widths {
            let runs = trials.filter { $0.width == width }
            let means: [Double?] = lrs.map { lr in
                let atLR = runs.filter { $0.lr == lr }
                guard !atLR.isEmpty, atLR.allSatisfy(\.isUsable) else { return nil }
                return atLR.map { $0.finalLoss! }.reduce(0, +) / Double(atLR.count)
            }
            let key = String(width)
            meanLoss[key] = means
            guard let found = optimum(lrs: lrs, losses: means) else { continue }
            optima[key] = exp2(found.log2LR)
            atEdge[key] = found.atEdge
            switch found.gridEdge {
            case .below: belowGrid.append(width)
            case .above: aboveGrid.append(width)
            case nil: optimaLog2.append((width, found.log2LR))
            }

            var seedOptima: [Double] = []
            for seed in seeds {
                let losses: [Double?] = lrs.map { lr in
                    runs.first { $0.lr == lr && $0.seed == seed }.flatMap { $0.isUsable ? $0.finalLoss : nil }
                }
                if let seedOptimum = optimum(lrs: lrs, losses: losses) {
                    seedOptima.append(seedOptimum.log2LR)
                    if seedOptimum.gridEdge == nil && found.gridEdge == nil {
                        perSeedOptima[seed, default: []].append((width, seedOptimum.log2LR))
                    }
                }
            }
            let half: Double
            if seedOptima.count >= 2 {
                half = StudentT.criticalValue95(degreesOfFreedom: seedOptima.count - 1)
                    * Descriptive.sampleStandardDeviation(seedOptima) / Double(seedOptima.count).squareRoot()
            } else {
                half = gridStep / 2
            }
            intervals[key] = ClosedInterval(exp2(found.log2LR - half), exp2(found.log2LR + half))
        }

        var drift: Double?, driftInterval: ClosedInterval?, intervalSeeds = 1
        if let fit = LinearFit.ordinaryLeastSquares(x: optimaLog2.map { log2(Double($0.width)) },
                                                    y: optimaLog2.map(\.log2LR)) {
            drift = fit.slope
            let seedDrifts = seeds.compactMap { seed -> Double? in
                guard let points = perSeedOptima[seed], points.count == optimaLog2.count else { return nil }
                return LinearFit.ordinaryLeastSquares(x: points.map { log2(Double($0.width)) }, y: points.map(\.log2LR))?.slope
            }
            if seedDrifts.count >= 2 {
                intervalSeeds = seedDrifts.count
                let half = StudentT.criticalValue95(degreesOfFreedom: seedDrifts.count - 1)
                    * Descriptive.sampleStandardDeviation(seedDrifts) / Double(seedDrifts.count).squareRoot()
                driftInterval = ClosedInterval(fit.slope - half, fit.slope + half)
            } else if let standardError = fit.slopeStandardError {
                let half = StudentT.criticalValue95(degreesOfFreedom: fit.pointCount - 2) * standardError
                driftInterval = ClosedInterval(fit.slope - half, fit.slope + half)
            }
        }
        let verdict = policy.verdict(drift: drift, interval: driftInterval, interiorOptima: optimaLog2.count,
                                     belowGrid: belowGrid, aboveGrid: aboveGrid, seeds: intervalSeeds)
        return LRTransferSummary(parametrization: label, widths: widths, lrs: lrs, optimum: optima,
                                 optimumCI95: intervals, optimumAtEdge: atEdge, meanLoss: meanLoss,
                                 driftExponent: drift, driftCI95: driftInterval, verdict: verdict,
                                 widerIsBetterViolations: widerIsBetterViolations(trials, widths: widths, lrs: lrs,
                                                                                  policy: policy))
    }

    /// mup's "wider is always better" check: for each pair of consecutive widths and each lr within
    /// ``LRTransferPolicy/widerIsBetterWindow`` grid steps of the narrower width's best grid point, the wider model's
    /// mean final loss must not exceed the narrower's by more than seed noise (Welch's 95 % one-sided allowance,
    /// `t · √(s₁²/n₁ + s₂²/n₂)`, with ≥ 2 usable seeds on both sides; ``LRTransferPolicy/singleSeedRelativeTolerance``
    /// of the narrower loss otherwise). Learning rates where either width diverged are skipped.
    static func widerIsBetterViolations(_ trials: [LRTrial], widths: [Int], lrs: [Double],
                                        policy: LRTransferPolicy) -> [WiderIsBetterViolation] {
        func losses(_ width: Int, _ lr: Double) -> [Double]? {
            let runs = trials.filter { $0.width == width && $0.lr == lr }
            guard !runs.isEmpty, runs.allSatisfy(\.isUsable) else { return nil }
            return runs.map { $0.finalLoss! }
        }
        var violations: [WiderIsBetterViolation] = []
        for (narrow, wide) in zip(widths, widths.dropFirst()) {
            let means = lrs.map { losses(narrow, $0).map(Descriptive.mean) }
            guard let best = means.indices.filter({ means[$0] != nil }).min(by: { means[$0]! < means[$1]! }) else { continue }
            let window = max(0, best - policy.widerIsBetterWindow)...min(lrs.count - 1, best + policy.widerIsBetterWindow)
            for index in window {
                guard let a = losses(narrow, lrs[index]), let b = losses(wide, lrs[index]) else { continue }
                let meanA = Descriptive.mean(a), meanB = Descriptive.mean(b)
                let allowance: Double
                if a.count >= 2 && b.count >= 2 {
                    let spread = (pow(Descriptive.sampleStandardDeviation(a), 2) / Double(a.count)
                        + pow(Descriptive.sampleStandardDeviation(b), 2) / Double(b.count)).squareRoot()
                    allowance = StudentT.criticalValue95(degreesOfFreedom: a.count + b.count - 2) * spread
                } else {
                    allowance = policy.singleSeedRelativeTolerance * abs(meanA)
                }
                if meanB - meanA > allowance {
                    violations.append(WiderIsBetterViolation(lr: lrs[index], width: narrow, widerWidth: wide,
                                                             loss: meanA, widerLoss: meanB))
                }
            }
        }
        return violations
    }
}
