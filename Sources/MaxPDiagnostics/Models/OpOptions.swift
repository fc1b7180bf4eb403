import MaxP

/// mup's per-layer initialization options for one parametrized op, applied by name before the parametrization
/// (they become the op's ``OpMarking/initScale`` and ``OpMarking/outputScale``).
public struct OpOptions: Codable, Sendable, Equatable {
    /// Start the weight at exactly zero (mup's readout / query zero-init): the op's output is `0` at t = 0.
    public var zeroInitialized: Bool
    /// The op's own σ in `std = σ · width^-b` (default: the run's σ).
    public var initScale: Double?
    /// A constant multiplying the op's output besides `width^-a` (e.g. mup's `α_output`, or `8` for `8/d` attention).
    public var outputScale: Double?

    /// Creates options (none by default).
    public init(zeroInitialized: Bool = false, initScale: Double? = nil, outputScale: Double? = nil) {
        self.zeroInitialized = zeroInitialized
        self.initScale = initScale
        self.outputScale = outputScale
    }
}
