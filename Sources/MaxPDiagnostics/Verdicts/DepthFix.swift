/// The fix a depth-axis verdict suggests, in depth units: multiply ``target`` by `depth^exponent`. Depth-axis
/// verdicts never give width advice (their ``OpVerdict/suggestedDeltaA`` is `nil`).
public struct DepthFix: Codable, Sendable, Equatable {
    /// What the fix multiplies.
    public enum Target: String, Codable, Sendable {
        /// The residual branch multiplier `depth^-α` (raising α by `−exponent`).
        case branchMultiplier = "branch_multiplier"
        /// The learning rates of the hidden weights (inside the residual blocks).
        case hiddenLearningRate = "hidden_learning_rate"
        /// The op's own output.
        case output
    }

    /// What to multiply.
    public var target: Target
    /// The depth exponent: multiply ``target`` by `depth^exponent`.
    public var exponent: Double

    /// Creates a fix.
    public init(target: Target, exponent: Double) {
        self.target = target
        self.exponent = exponent
    }

    /// For a branch multiplier: the change of α it amounts to (`−exponent`); `nil` for other targets.
    public var deltaAlpha: Double? { target == .branchMultiplier ? -exponent : nil }
}
