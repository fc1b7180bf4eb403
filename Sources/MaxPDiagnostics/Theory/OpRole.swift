/// The role an op plays in a network, as far as width scaling is concerned: the one typed classification that
/// ``Theory``, the verdicts' fix messages and the importer share (names map to roles in ``OpRoleNames``).
///
/// The raw values are the strings of the declaration file (`"role": "readout"`) and of the `kind` column of
/// imported data.
public enum OpRole: String, Codable, Sendable, CaseIterable {
    /// Fixed fan-in, width fan-out (embedding, input projection): µP `a + b = 0`.
    case input
    /// Width to width: µP `a + b = ½`.
    case hidden
    /// Width to a fixed size (readout, unembedding, lm head): µP `a + b = 1`.
    case readout
    /// Parameter-free contraction over a width-scaled dimension (`q·kᵀ`): µP `a = 1` (logits times `d_head^-1`).
    case attentionLogits = "attention_logits"
    /// An elementwise map (activation, dropout, scaling by a constant): follows its input.
    case elementwise
    /// A residual sum: the largest of its inputs' slopes.
    case residual
    /// LayerNorm / RMSNorm: size 0 whatever its input's.
    case norm
    /// Softmax over a fixed axis: size 0.
    case softmax
    /// Not judged at all (declaration only).
    case ignore

    /// Whether the role is a parametrized op with `(a, b)` exponents (input, hidden, readout, attention logits).
    public var isParametrized: Bool {
        switch self {
        case .input, .hidden, .readout, .attentionLogits: true
        default: false
        }
    }

    /// The role of a parametrized op of our own graphs, from its exponents and kind: no contraction over width →
    /// input; no weight → attention logits; a kind naming a readout (see ``OpRoleNames``) → readout; else hidden.
    public init(descriptor: OpDescriptor, exponents: ParametrizedExponents) {
        if !exponents.contractsOverWidth {
            self = .input
        } else if !exponents.hasWeight {
            self = .attentionLogits
        } else if OpRoleNames.role(forName: descriptor.kind)?.role == .readout {
            self = .readout
        } else {
            self = .hidden
        }
    }

    /// µP's exponents for this role (with Adam-style `r = 0`), keeping the structural flags of `declared`; other
    /// roles keep `declared` unchanged.
    public func muPExponents(like declared: ParametrizedExponents) -> ParametrizedExponents {
        var exponents = declared
        switch self {
        case .input: exponents.a = 0; exponents.b = 0
        case .hidden: exponents.a = 0; exponents.b = 0.5
        case .readout: exponents.a = 0.5; exponents.b = 0.5
        case .attentionLogits: exponents.a = 1; exponents.b = 0
        default: return declared
        }
        exponents.r = 0
        return exponents
    }
}
