/// A known bug a built-in model can be made to carry (`--inject`), so anyone can see what it looks like in a
/// coordinate check. The **declared** parametrization stays the correct one (theory predicts from it); only the
/// model silently does the wrong thing.
public enum Fault: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The readout's output multiplier `width^-½` is missing: multiplier 1, i.e. effective `a = 0` instead of ½.
    case missingReadoutMultiplier = "missing-readout-multiplier"
    /// Attention logits scaled by `d_head^-½` instead of `d_head^-1` (effective `a = ½` instead of 1; GPT only).
    case attentionSqrtD = "attention-sqrt-d"
    /// One hidden layer's learning rate is not width-scaled: `c = 0` for its group instead of the LP's value
    /// (MLP: `fc_2`; GPT: `blocks.0.mlp.fc_in`).
    case hiddenLRUnscaled = "hidden-lr-unscaled"
    /// The embedding's output multiplier is 1 instead of `width^½` (effective `a = 0` instead of −½; MLP: `fc_1`,
    /// GPT: `tok_emb`).
    case embeddingMultiplier = "embedding-multiplier"

    /// Parses a fault name exactly as `--inject` spells it.
    public init(parsing text: String) throws(ModelBuildError) {
        guard let fault = Fault(rawValue: text) else { throw .unknownFault(text) }
        self = fault
    }

    /// The op the fault is planted on, for `family` with `depth` hidden layers / blocks.
    public func targetOps(family: ModelFamily, depth: Int) -> [String] {
        switch (self, family) {
        case (.missingReadoutMultiplier, _): return ["readout"]
        case (.attentionSqrtD, .gpt): return (0..<depth).map { "blocks.\($0).attn.qk" }
        case (.attentionSqrtD, .mlp): return []
        case (.hiddenLRUnscaled, .mlp): return depth >= 2 ? ["fc_2"] : []
        case (.hiddenLRUnscaled, .gpt): return ["blocks.0.mlp.fc_in"]
        case (.embeddingMultiplier, .mlp): return ["fc_1"]
        case (.embeddingMultiplier, .gpt): return ["tok_emb"]
        }
    }

    /// The `--inject` name.
    public var description: String { rawValue }
}
