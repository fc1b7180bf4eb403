/// The one place where op **names** map to ``OpRole``s: used for data imported without a declaration (and for ops
/// a declaration does not cover), for the readout test of our own parametrized ops, and for the fix messages.
///
/// A name is lowercased and split into tokens at every character that is not a letter or a digit (`.`, `_`, `-`,
/// `/`, `:`, spaces, …); trailing digits are dropped from each token (`ln1` → `ln`, `h.0` → `h`). The rules are tried
/// in this order, the first that matches wins:
///
/// | role | a token … |
/// |---|---|
/// | `attention_logits` | is `qk` or `scores`, or is `logits` right after `attn` / `attention` (`attn_logits`) |
/// | `norm` | contains `norm` (`layernorm`, `rmsnorm`, `norm_f`) or is `ln` (`ln_1`, `ln_f`) |
/// | `readout` | is `readout`, `head` (`lm_head`), `output` or `unembed` |
/// | `input` | starts with `embed` (`embedding`, `embeddings`), or is `emb`, `tok`, `pos`, `wte`, `wpe` or `input` |
///
/// Any other name has no role: ``Theory`` then judges it by mup's own rule (Θ(1) at every width).
public enum OpRoleNames {
    /// A role found in a name, with the token that gave it away (for "role readout, from the name `lm_head`").
    public struct Match: Sendable, Equatable {
        /// The inferred role.
        public var role: OpRole
        /// The token that matched.
        public var token: String
    }

    /// The role the name suggests, or `nil`.
    public static func role(forName name: String) -> Match? {
        let tokens = self.tokens(of: name)
        for (position, token) in tokens.enumerated() {
            if token == "qk" || token == "scores" { return Match(role: .attentionLogits, token: token) }
            if token == "logits", position > 0, ["attn", "attention"].contains(tokens[position - 1]) {
                return Match(role: .attentionLogits, token: tokens[position - 1] + "_" + token)
            }
        }
        if let token = tokens.first(where: { $0.contains("norm") || $0 == "ln" }) { return Match(role: .norm, token: token) }
        if let token = tokens.first(where: { ["readout", "head", "output", "unembed"].contains($0) }) {
            return Match(role: .readout, token: token)
        }
        if let token = tokens.first(where: { $0.hasPrefix("embed") || ["emb", "tok", "pos", "wte", "wpe", "input"].contains($0) }) {
            return Match(role: .input, token: token)
        }
        return nil
    }

    /// The lowercased tokens of a name, trailing digits dropped, empty tokens removed.
    static func tokens(of name: String) -> [String] {
        name.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).compactMap { token in
            var text = String(token)
            while let last = text.last, last.isNumber { text.removeLast() }
            return text.isEmpty ? nil : text
        }
    }
}
