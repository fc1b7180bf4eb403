/// Everything that defines a parametrization apart from the model: optimizer kind, alignment assumption,
/// prefactors and overrides (spec §2.4–§2.5).
public struct ParametrizationConfiguration: Codable, Equatable, Sendable {
    /// Which update rule the learning-rate exponents are solved for.
    public var optimizer: OptimizerKind
    /// The alignment assumed for every op that is not overridden.
    public var alignment: AlignmentPreset
    /// `η` in `lr = η · width^-c`.
    public var lrPrefactor: Double
    /// `σ` in `std = σ · width^-b`.
    public var stdPrefactor: Double
    /// `(a, b)` per role; starts as the named parametrization's table and may add roles.
    public var abTable: [String: ABExponents]
    /// Fixed `c` per role (ops of that role are not solved for).
    public var cOverrides: [String: Double]
    /// Fixed alignment per op, matched by exact op name, then leaf name (`fc2` matches `blocks.0.ff.fc2`), then
    /// role. Matching ops are *pinned*: dynamic measurement leaves them alone.
    public var alignmentOverrides: [String: Alignment]
    /// Seed of the generator that re-initializes weights (same seed, same weights).
    public var initializationSeed: UInt64
    /// The named table this configuration started from, for reports (`nil` if built by hand).
    public var name: NamedParametrization?
    /// mup's base shapes: the model's width and the base width where the parametrization equals SP (see
    /// ``BaseWidth``); `nil` is the plain `width^-a`, `σ · width^-b`, `η · width^-c`.
    public var base: BaseWidth?
    /// Depth-µP: residual branch multipliers `(L/L₀)^-α` and depth-scaled hidden learning rates (see
    /// ``DepthScaling``); `nil` scales nothing with depth.
    public var depth: DepthScaling? = nil

    /// A configuration from a named `(a, b)` table.
    public init(
        _ name: NamedParametrization = .mup, optimizer: OptimizerKind = .adam, alignment: AlignmentPreset = .full,
        lrPrefactor: Double = 1e-3, stdPrefactor: Double = 1, abOverrides: [String: ABExponents] = [:],
        cOverrides: [String: Double] = [:], alignmentOverrides: [String: Alignment] = [:],
        initializationSeed: UInt64 = 0, base: BaseWidth? = nil
    ) {
        self.name = name
        self.optimizer = optimizer
        self.alignment = alignment
        self.lrPrefactor = lrPrefactor
        self.stdPrefactor = stdPrefactor
        var table = Dictionary(uniqueKeysWithValues: name.table.map { ($0.key.rawValue, $0.value) })
        for (role, ab) in abOverrides { table[role] = ab }
        self.abTable = table
        self.cOverrides = cOverrides
        self.alignmentOverrides = alignmentOverrides
        self.initializationSeed = initializationSeed
        self.base = base
    }
}
