/// The optimizer family whose update size the exponent LP models (spec §3.3–§3.5).
///
/// The family decides how a layer's learning rate `η·width^-c` turns into the size of its weight update:
/// Adam normalises the gradient (`rms(ΔW) ≈ width^-c`), SGD carries the readout's gradient scale
/// (`rms(ΔW) ≈ width^-(c + g_base + a)`), Adafactor with parameter scaling multiplies by the weight scale
/// (`rms(ΔW) ≈ width^-(c + b)`, and `c ≥ 0`).
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// Adam / AdamW: update size independent of the gradient scale.
    case adam
    /// Plain (or momentum) SGD: update size proportional to the gradient.
    case sgd
    /// Adafactor with parameter scaling: update size proportional to the weight scale `width^-b`.
    case adafactor

    /// Parses an optimizer name case-insensitively (`"Adam"`, `"SGD"`, `"adafactor"`); `nil` for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }
}
