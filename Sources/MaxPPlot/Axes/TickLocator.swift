import Foundation

/// Chooses tick positions (data values) for an axis range.
///
/// `maximumCount` is the most ticks that fit without labels overlapping; the layout computes it from label
/// sizes. Locators return ticks inside `range` only, in increasing order.
public protocol TickLocator: Sendable {
    /// Tick positions (data values) inside `range`, at most `maximumCount` of them (at least 2 if possible).
    func ticks(in range: ClosedRange<Double>, maximumCount: Int) -> [Double]
}

/// "Nice" linear ticks: steps of 1, 2, 2.5 or 5 times a power of ten, as many as fit.
public struct LinearTickLocator: TickLocator, Equatable {
    /// Creates the locator.
    public init() {}

    /// The step chosen for `range` so that at most `maximumCount` ticks fall inside it.
    public func step(for range: ClosedRange<Double>, maximumCount: Int) -> Double {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return 1 }
        let count = max(1, maximumCount - 1)
        let raw = span / Double(count)
        let magnitude = pow(10, (Foundation.log10(raw)).rounded(.down))
        for multiple in [1.0, 2, 2.5, 5, 10] {
            let step = multiple * magnitude
            let first = (range.lowerBound / step - 1e-9).rounded(.up)
            let last = (range.upperBound / step + 1e-9).rounded(.down)
            if last - first + 1 <= Double(maximumCount) { return step }
        }
        return 10 * magnitude
    }

    /// Ticks at multiples of `step(for:maximumCount:)` inside `range`.
    public func ticks(in range: ClosedRange<Double>, maximumCount: Int) -> [Double] {
        guard range.lowerBound.isFinite, range.upperBound.isFinite else { return [] }
        guard range.upperBound > range.lowerBound else { return [range.lowerBound] }
        let step = step(for: range, maximumCount: max(2, maximumCount))
        let first = Int((range.lowerBound / step - 1e-9).rounded(.up))
        let last = Int((range.upperBound / step + 1e-9).rounded(.down))
        guard last >= first else { return [] }
        // Round to the step's decimal precision so 3 × 0.2 is 0.6, not 0.6000000000000001.
        let decimals = max(0, 2 - Int(Foundation.log10(step).rounded(.down)))
        let unit = pow(10, Double(min(decimals, 300)))
        return (first...last).map { index in
            let value = (Double(index) * step * unit).rounded() / unit
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }
}

/// Log ticks at integer powers of `base`. If too many powers fall in the range, only every k-th power is kept
/// (k chosen so that the ticks fit, and multiples of k are preferred so labels stay regular: 2^0, 2^2, 2^4, …).
/// If fewer than three powers fall in the range, it adds intermediate ticks (1, 2, 5 × 10^k; 1, 1.5 × 2^k) and
/// if the range is narrower than one power, it falls back to nice linear ticks in data space.
public struct LogTickLocator: TickLocator, Equatable {
    /// The logarithm base (2 or 10 in practice).
    public var base: Double

    /// Creates a locator for powers of `base` (> 1).
    public init(base: Double) {
        precondition(base > 1, "log base must be > 1")
        self.base = base
    }

    /// Ticks at powers `base^k` inside `range` (a range of positive data values).
    public func ticks(in range: ClosedRange<Double>, maximumCount: Int) -> [Double] {
        guard range.lowerBound > 0, range.upperBound.isFinite else { return [] }
        let low = Foundation.log(range.lowerBound) / Foundation.log(base)
        let high = Foundation.log(range.upperBound) / Foundation.log(base)
        let first = Int((low - 1e-9).rounded(.up))
        let last = Int((high + 1e-9).rounded(.down))
        let powerCount = last - first + 1
        if powerCount < 3 {
            // Few powers: add intermediate ticks (1-2-5 per decade, or 1-1.5 per octave), the densest set that fits;
            // below a factor of `base` fall back to nice linear ticks.
            let subsets: [[Double]] = base == 10 ? [[1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 5], [1, 3]] : [[1, 1.5]]
            for subs in subsets {
                let low = range.lowerBound * (1 - 1e-12), high = range.upperBound * (1 + 1e-12)
                var ticks: [Double] = []
                for k in (first - 1)...(last + 1) {
                    let power = pow(base, Double(k))
                    for sub in subs where (low...high).contains(sub * power) { ticks.append(sub * power) }
                }
                if ticks.count >= 3 && ticks.count <= max(3, maximumCount) { return ticks }
            }
            if powerCount < 2 {
                return LinearTickLocator().ticks(in: range, maximumCount: min(maximumCount, 5)).filter { $0 > 0 }
            }
        }
        let limit = max(2, maximumCount)
        var stride = 1
        while (powerCount + stride - 1) / stride > limit { stride += 1 }
        // Keep exponents that are multiples of the stride, so labels read 2^0, 2^3, 2^6 rather than 2^1, 2^4, ….
        let exponents = (first...last).filter { ((($0 % stride) + stride) % stride) == 0 }
        let chosen = exponents.count >= 2 ? exponents : Array(Swift.stride(from: first, through: last, by: stride))
        return chosen.map { pow(base, Double($0)) }
    }
}

/// Ticks at fixed data values (those inside the range).
public struct FixedTickLocator: TickLocator, Equatable {
    /// The candidate tick values.
    public var values: [Double]
    /// Creates a locator that always proposes `values`.
    public init(_ values: [Double]) { self.values = values }
    /// The given values inside `range`, sorted; `maximumCount` is ignored (the caller chose them).
    public func ticks(in range: ClosedRange<Double>, maximumCount: Int) -> [Double] {
        values.filter { range.contains($0) }.sorted()
    }
}
