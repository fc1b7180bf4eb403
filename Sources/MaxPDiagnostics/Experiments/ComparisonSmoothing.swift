/// The exponential moving average of a logged curve, as maxP's `visualize.py --smoothing S` applies it: `S` is
/// the weight of the newest point (lower = smoother), `s_t = (1 − S)·s_{t−1} + S·x_t`, debiased as TensorBoard does
/// (started from 0 and divided by `1 − (1 − S)^t`, so the first point is not pulled toward 0). `S = 0` and `S = 1`
/// both leave the curve as it is. A non-finite point ends the smoothing: it and every later point are NaN (the run
/// diverged there).
public struct ComparisonSmoothing: Sendable, Equatable {
    /// The weight of the newest point, in [0, 1]; 0 or 1 = no smoothing.
    public let weight: Double

    /// No smoothing.
    public static let none = ComparisonSmoothing(uncheckedWeight: 1)

    /// Smoothing with weight `weight` (in [0, 1]).
    public init(weight: Double) throws(ComparisonError) {
        guard weight.isFinite, weight >= 0, weight <= 1 else { throw .badSmoothing(weight) }
        self.weight = weight
    }

    private init(uncheckedWeight: Double) { weight = uncheckedWeight }

    /// Whether the curve is left as it is.
    public var isIdentity: Bool { weight == 0 || weight == 1 }

    /// The smoothed curve.
    public func apply(_ values: [Double]) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(values.count)
        let keep = isIdentity ? 0 : 1 - weight
        var last = 0.0, debias = 0.0
        var broken = false
        for value in values {
            guard !broken, value.isFinite else {
                broken = true
                result.append(.nan)
                continue
            }
            last = last * keep + (1 - keep) * value
            debias = debias * keep + (1 - keep)
            result.append(last / debias)
        }
        return result
    }
}
