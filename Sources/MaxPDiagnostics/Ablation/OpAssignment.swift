import MaxP

/// One `GLOB.FIELD=VALUE` setting of the ops a pattern names: an exponent (`a` of the output multiplier
/// `width^-a`, `b` of the initialization `σ · width^-b`, `c` of the learning rate `η · width^-c`) or the
/// initialization constant `sigma` (σ).
///
/// Used two ways: as a *declared* override (``TrainingOptions/overrides``, maxP's per-op `a`/`b`/`c`: theory and the
/// exponent LP use the value) and as a *planted* deviation (``SweepPlan/plants``: the actual model differs from the
/// declaration, a general fault; the exponents shift by `VALUE`, σ becomes `VALUE`).
public struct OpAssignment: Codable, Sendable, Hashable, CustomStringConvertible {
    /// What an assignment sets.
    public enum Field: String, Codable, Sendable, CaseIterable {
        /// The output-multiplier exponent (`width^-a`).
        case a
        /// The initialization exponent (`σ · width^-b`).
        case b
        /// The learning-rate exponent (`η · width^-c`).
        case c
        /// The initialization constant σ (the standard deviation at the base width).
        case sigma

        /// Whether the field needs a weight (only `a` applies to a parameter-free op such as the attention logits).
        public var needsWeight: Bool { self != .a }
    }

    /// The ops it applies to.
    public var glob: OpGlob
    /// The field set.
    public var field: Field
    /// The value (finite; σ ≥ 0).
    public var value: Double

    /// Creates an assignment.
    public init(glob: OpGlob, field: Field, value: Double) {
        self.glob = glob
        self.field = field
        self.value = value
    }

    /// Parses `GLOB.FIELD=VALUE` (`blocks.*.attn.qk.a=0.5`, `readout.sigma=0`); `setting` is what a failure names.
    public init(parsing text: String, setting: SweepSetting) throws(ModelBuildError) {
        let usage = "write GLOB.FIELD=VALUE with FIELD one of a, b, c, sigma (e.g. readout.a=0.5 or 'blocks.*.attn.qk.a=1')"
        guard let equals = text.firstIndex(of: "=") else {
            throw .invalid(setting: setting, reason: "`\(text)` has no `=`: \(usage)")
        }
        let target = text[..<equals].trimmingCharacters(in: .whitespaces)
        let valueText = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard let dot = target.lastIndex(of: "."), dot != target.startIndex else {
            throw .invalid(setting: setting, reason: "`\(text)` names no op and field: \(usage)")
        }
        let fieldText = String(target[target.index(after: dot)...])
        guard let field = Field(rawValue: fieldText) else {
            throw .invalid(setting: setting, reason: "`\(text)`: unknown field `\(fieldText)`: \(usage)")
        }
        guard let value = Double(valueText), value.isFinite else {
            throw .invalid(setting: setting, reason: "`\(text)`: `\(valueText)` is not a finite number")
        }
        if field == .sigma, value < 0 {
            throw .invalid(setting: setting, reason: "`\(text)`: σ is a standard deviation and must be ≥ 0")
        }
        self.init(glob: OpGlob(String(target[..<dot])), field: field, value: value)
    }

    /// `GLOB.FIELD=VALUE` as it was written (shortest round-trip number).
    public var description: String { "\(glob).\(field.rawValue)=\(TextFormat.number(value))" }

    /// The ops of `names` it applies to; throws (naming the pattern and listing the names) when there is none.
    public func targets(in names: [String], setting: SweepSetting) throws(ModelBuildError) -> [String] {
        let matched = glob.matches(in: names)
        guard !matched.isEmpty else {
            throw .invalid(setting: setting, reason: "`\(glob)` (in `\(self)`) matches no op; the ops are "
                + names.joined(separator: ", "))
        }
        return matched
    }
}
