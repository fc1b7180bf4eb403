/// Gradient sizes of an op's output in the backward pass (optional; recorded when the sweep asks for them).
public struct GradientStatistics: Codable, Sendable, Equatable, Hashable {
    /// Mean absolute value of the gradient with respect to the op's output.
    public var l1: Double
    /// Root mean square of that gradient.
    public var rms: Double

    /// Creates gradient statistics.
    public init(l1: Double, rms: Double) {
        self.l1 = l1
        self.rms = rms
    }
}

/// One tidy row of a coordinate check: the sizes of one op call site's output at one axis value, seed and step.
///
/// Rows are the contract between the sweep engine, the renderer, the report and the CI gate (CSV header
/// `axis_value,seed,t,op,kind,l1,rms,delta_rms`). Values may be 0 (zero-initialized op), NaN or ±∞ (divergence).
public struct CoordRow: Codable, Sendable, Equatable, Hashable {
    /// The swept value (width, depth, head count, …) of the model this row was measured on.
    public var axisValue: Int
    /// The seed of the run.
    public var seed: Int
    /// The step: 0 is the forward pass at initialization, `t` the forward pass after `t` optimizer updates.
    public var t: Int
    /// The op's call site, e.g. `blocks.0.attn.qk` (an op used twice is two call sites, `…#1`).
    public var op: String
    /// The op's kind or parametrized role (`hidden`, `readout`, `relu`, `layerNorm`, …).
    public var kind: String
    /// Mean absolute value of the output.
    public var l1: Double
    /// Root mean square of the output.
    public var rms: Double
    /// Root mean square of `h_t − h_0` (0 at t = 0).
    public var deltaRMS: Double
    /// mup's `mean` of the output (`mean h`), when recorded (nil in tables read from files without it).
    public var mean: Double?
    /// mup's `std` of the output (`n − 1` in the denominator, as torch's default), when recorded.
    public var std: Double?
    /// Gradient sizes, when recorded (in `coord_moments.csv` and JSON; `coord_data.csv` keeps the contract columns).
    public var gradient: GradientStatistics?

    /// Creates a row.
    public init(axisValue: Int, seed: Int, t: Int, op: String, kind: String, l1: Double, rms: Double,
                deltaRMS: Double, mean: Double? = nil, std: Double? = nil, gradient: GradientStatistics? = nil) {
        self.axisValue = axisValue
        self.seed = seed
        self.t = t
        self.op = op
        self.kind = kind
        self.l1 = l1
        self.rms = rms
        self.deltaRMS = deltaRMS
        self.mean = mean
        self.std = std
        self.gradient = gradient
    }

    /// The value of `statistic` in this row.
    public func value(of statistic: CoordStatistic) -> Double {
        switch statistic {
        case .l1: l1
        case .rms: rms
        case .deltaRMS: deltaRMS
        }
    }

    /// The identity of a row: two rows with the same key are duplicates.
    public var key: CoordRowKey { CoordRowKey(axisValue: axisValue, seed: seed, t: t, op: op) }

    enum CodingKeys: String, CodingKey {
        case axisValue = "axis_value", seed, t, op, kind, l1, rms, deltaRMS = "delta_rms", mean, std, gradient
    }
}

/// The identity `(axis value, seed, t, op)` of a ``CoordRow``.
public struct CoordRowKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The swept value.
    public var axisValue: Int
    /// The seed.
    public var seed: Int
    /// The step.
    public var t: Int
    /// The op call site.
    public var op: String

    /// `op @ axis=…, seed=…, t=…`.
    public var description: String { "`\(op)` at axis value \(axisValue), seed \(seed), t = \(t)" }
}
