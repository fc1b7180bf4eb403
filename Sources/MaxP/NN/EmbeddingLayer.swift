/// A lookup table mapping token ids to vectors: row `i` of the weight `[vocabulary, width]` is the embedding of
/// id `i`; the output is `multiplier · weight[ids]`.
///
/// Parametrization hook (issue 3): with ``role`` set (typically `embedding`), the lookup is recorded as one
/// parametrized op named by ``path`` with multiplier ``multiplier`` (`width^-a`); it has no data inputs (token ids
/// are not tensors on the tape), so in a traced graph it is a source. Without a role a multiplier different from
/// 1 is still applied.
public final class Embedding<Scalar: TensorScalar>: Module {
    /// The layer's dotted path in its model.
    public var path = ""
    /// The number of distinct ids.
    public let vocabulary: Int
    /// The size of each embedding vector.
    public let width: Int
    /// The table, shape `[vocabulary, width]`.
    public let weight: Parameter<Scalar>
    /// The output multiplier (`width^-a` under an abc-parametrization); 1 by default.
    public var multiplier: Scalar = 1
    /// The parametrization role; `nil` (default) records no parametrized op.
    public var role: String? {
        get { marking?.role.rawValue }
        set { marking = newValue.map { OpMarking(role: LayerRole(rawValue: $0), width: width) } }
    }
    /// The parametrization marking (role, width = the embedding width, exponent overrides); `nil` by default.
    public var marking: OpMarking?

    /// Creates a table with entries drawn from `N(0, standardDeviation²)` (standard normal by default, as PyTorch).
    /// With `initialization: .deferred` the table is left at zero and nothing is drawn from `generator` (a
    /// ``Parametrization`` must re-initialize it before use).
    public init(vocabulary: Int, width: Int, standardDeviation: Scalar = 1, using generator: inout SeededGenerator,
                initialization: WeightInitialization = .drawn) {
        precondition(vocabulary > 0 && width > 0, "Embedding: vocabulary and width must be positive, got \(vocabulary) × \(width)")
        self.vocabulary = vocabulary
        self.width = width
        switch initialization {
        case .drawn:
            weight = Parameter(
                .randomNormal(shape: [vocabulary, width], standardDeviation: standardDeviation, using: &generator))
        case .deferred:
            weight = Parameter(Tensor(zeros: [vocabulary, width]))
        }
    }

    public var localParameters: [(name: String, parameter: Parameter<Scalar>)] { [("weight", weight)] }

    /// Redraws the table from `N(0, standardDeviation²)`.
    public func resetParameters(standardDeviation: Scalar, using generator: inout SeededGenerator) {
        weight.value = .randomNormal(shape: weight.shape, standardDeviation: standardDeviation, using: &generator)
    }

    /// The embeddings of `ids` laid out as `shape + [width]` (e.g. `shape = [batch, time]`), recorded on `tape`.
    public func callAsFunction(_ ids: [Int], shape: [Int], on tape: Tape<Scalar>) -> Variable<Scalar> {
        tape.withScope(path) {
            applyMultiplier(tape: tape, site: path, role: role, inputs: [], multiplier: multiplier) {
                tape.parameter(self.weight).gatherRows(ids, shape: shape)
            }
        }
    }
}
