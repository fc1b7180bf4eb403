/// The classic parametrizations as `(a, b)` tables per role (spec §8.3); the learning-rate exponents `c` come from
/// the LP for the chosen optimizer and alignment assumption.
///
/// | name | a (embedding, hidden, readout) | b (embedding, hidden, readout) |
/// |---|---|---|
/// | `sp`  | 0, 0, 0      | 0, ½, ½ |
/// | `mup` | −½, 0, ½     | ½, ½, ½ |
/// | `ntk` | 0, ½, ½      | 0, 0, 0 |
/// | `mfp` | 0, ½, 1      | 0, 0, 0 |
///
/// `maxp` uses µP's table and re-solves `c` from measured alignment during training (see the dynamic alignment
/// controller).
public enum NamedParametrization: String, CaseIterable, Codable, Sendable {
    /// Standard parametrization: no multipliers, `1/√fan_in` init for hidden and readout.
    case sp
    /// Maximal-update parametrization (µP) in the abc form maxP uses.
    case mup
    /// Neural-tangent parametrization.
    case ntk
    /// Mean-field parametrization.
    case mfp
    /// µP's `(a, b)` with learning rates re-solved from measured alignment.
    case maxp

    /// Parses a name case-insensitively (`"muP"` → ``mup``).
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }

    /// The `(a, b)` exponents per role.
    public var table: [LayerRole: ABExponents] {
        switch self {
        case .sp:
            return [.embedding: .init(a: 0, b: 0), .hidden: .init(a: 0, b: 0.5), .readout: .init(a: 0, b: 0.5)]
        case .mup, .maxp:
            return [.embedding: .init(a: -0.5, b: 0.5), .hidden: .init(a: 0, b: 0.5), .readout: .init(a: 0.5, b: 0.5)]
        case .ntk:
            return [.embedding: .init(a: 0, b: 0), .hidden: .init(a: 0.5, b: 0), .readout: .init(a: 0.5, b: 0)]
        case .mfp:
            return [.embedding: .init(a: 0, b: 0), .hidden: .init(a: 0.5, b: 0), .readout: .init(a: 1, b: 0)]
        }
    }

    /// Whether this parametrization re-solves learning rates from measured alignment during training.
    public var isDynamic: Bool { self == .maxp }
}

/// The alignment every op is assumed to have before any is measured (spec §2.4).
public enum AlignmentPreset: String, CaseIterable, Codable, Sendable {
    /// Worst case: `(α, ω, u) = (1, ½, 1)`.
    case full
    /// Independent updates: `(α, ω, u) = (½, ½, ½)`.
    case no

    /// Parses `full` / `no` case-insensitively.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }

    /// The `(α, ω, u)` triple this preset stands for.
    public var alignment: Alignment {
        switch self {
        case .full: return Alignment(alpha: 1, omega: 0.5, u: 1)
        case .no: return Alignment(alpha: 0.5, omega: 0.5, u: 0.5)
        }
    }
}
