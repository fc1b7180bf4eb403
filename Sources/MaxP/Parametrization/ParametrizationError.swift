/// Why a parametrization could not be built or applied. Messages name the op and what to change.
public enum ParametrizationError: Error, Equatable, CustomStringConvertible {
    /// The model has no op marked as parametrized.
    case noParametrizedOps
    /// An op's role has no `(a, b)` row in the table.
    case unknownRole(op: String, role: String, known: [String])
    /// An op's width is not a positive integer.
    case invalidWidth(op: String, width: Int)
    /// Two ops share a name.
    case duplicateOpName(String)
    /// An exponent is NaN or infinite.
    case nonFiniteExponent(op: String, exponent: String, value: Double)
    /// The exponent LP failed (infeasible, invalid exponents for a graph role, …).
    case exponentLP(ExponentLPError)
    /// The sample forward pass reached none of the parametrized ops.
    case traceReachedNoOps
    /// A name given in the configuration (override, fixed c) matches no parametrized op or role.
    case unknownOverrideKey(String, known: [String])
    /// The base shapes are not two positive widths.
    case invalidBaseWidth(base: Int, width: Int)
    /// The depth scaling (depth-µP) cannot be used; the reason says which value.
    case invalidDepthScaling(String)
    /// An op sharing another op's weight (tied embeddings) asks for its own init σ (or zero-init): the shared
    /// weight is drawn once, with the owner's.
    case tiedWeightInitialization(owner: String, sharer: String, initScale: Double)

    public var description: String {
        switch self {
        case .noParametrizedOps:
            return "the model has no parametrized op: mark layers with a role and width (e.g. `layer.marking = OpMarking(role: .hidden, width: n)`)"
        case .unknownRole(let op, let role, let known):
            return "op '\(op)' has role '\(role)', which has no (a, b) entry; known roles: \(known.joined(separator: ", ")) — add it through abOverrides"
        case .invalidWidth(let op, let width):
            return "op '\(op)' has width \(width); the width must be a positive integer (the fan-in that scales with the model)"
        case .duplicateOpName(let name):
            return "two parametrized ops are both named '\(name)'; call assignPaths() on the model so names are unique"
        case .nonFiniteExponent(let op, let exponent, let value):
            return "op '\(op)' has \(exponent) = \(value); exponents must be finite numbers"
        case .exponentLP(let error):
            return "exponent LP: \(error)"
        case .traceReachedNoOps:
            return "the sample forward pass reached no parametrized op; check that the sample input runs the model"
        case .unknownOverrideKey(let key, let known):
            return "override key '\(key)' matches no op name, op leaf name or role (known: \(known.prefix(10).joined(separator: ", ")))"
        case .invalidBaseWidth(let base, let width):
            return "base width \(base) for a model of width \(width): both must be positive integers"
        case .invalidDepthScaling(let reason):
            return "depth scaling: \(reason)"
        case .tiedWeightInitialization(let owner, let sharer, let initScale):
            return "op '\(sharer)' shares its weight with '\(owner)' (tied embeddings), which draws it once with its own init; '\(sharer)' cannot have init σ = \(initScale)\(initScale == 0 ? " (zero-init)" : ""): drop that option or untie the weights"
        }
    }
}
