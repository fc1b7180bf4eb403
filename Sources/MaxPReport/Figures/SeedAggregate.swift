import Foundation
import MaxPDiagnostics

/// The across-seed summary of one curve: per x, the mean over seeds and a 95 % interval of that mean (the band
/// drawn around coord-check lines, as seaborn draws for mup).
struct SeedAggregate {
    /// x values, ascending.
    var x: [Double]
    /// Mean over seeds per x (NaN when every seed is non-finite).
    var mean: [Double]
    /// Lower end of the band per x.
    var lower: [Double]
    /// Upper end of the band per x.
    var upper: [Double]
    /// Whether a band exists (at least two seeds somewhere).
    var hasBand: Bool

    /// Groups `(x, value)` samples by x. The band is `mean ± t₀.₉₇₅·sd/√n`; for a `positive` statistic (drawn on a
    /// log axis) a non-positive lower end is replaced by the smallest positive sample so the band stays drawable.
    init(samples: [(x: Double, value: Double)], positive: Bool = true) {
        let groups = Dictionary(grouping: samples, by: \.x)
        x = groups.keys.sorted()
        mean = []; lower = []; upper = []; hasBand = false
        for key in x {
            let values = groups[key]!.map(\.value)
            let finite = values.filter(\.isFinite)
            guard finite.count == values.count, !finite.isEmpty else {
                mean.append(.nan); lower.append(.nan); upper.append(.nan)
                continue
            }
            let average = finite.reduce(0, +) / Double(finite.count)
            mean.append(average)
            guard finite.count >= 2 else { lower.append(average); upper.append(average); continue }
            hasBand = true
            let variance = finite.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(finite.count - 1)
            let half = StudentT.criticalValue95(degreesOfFreedom: finite.count - 1)
                * variance.squareRoot() / Double(finite.count).squareRoot()
            let low = average - half
            lower.append(low > 0 || !positive ? low : (finite.filter { $0 > 0 }.min() ?? low))
            upper.append(average + half)
        }
    }
}
