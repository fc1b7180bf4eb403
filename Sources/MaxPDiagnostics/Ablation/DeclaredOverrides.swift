import MaxP

/// Writes declared per-op overrides (``TrainingOptions/overrides``) into the markings of the ops they name, before
/// the parametrization is applied — so the exponent LP and theory see them, as maxP's per-op `a`, `b`, `c`:
/// `a` and `b` replace the role's row, `c` fixes the op's learning-rate exponent, `sigma` its σ.
enum DeclaredOverrides {
    /// Applies `overrides` in order (a later one wins); every pattern must match a marked op, and `b`, `c` and
    /// `sigma` only apply to the matched ops with a weight (at least one).
    static func apply(_ overrides: [OpAssignment], to module: any Module<Float>) throws(ModelBuildError) {
        guard !overrides.isEmpty else { return }
        var marked: [(name: String, op: any ParametrizableOp<Float>)] = []
        for (_, sub) in module.namedModules() {
            if let op = sub as? any ParametrizableOp<Float>, op.marking != nil { marked.append((op.opName, op)) }
        }
        let names = marked.map(\.name)
        let byName = Dictionary(marked.map { ($0.name, $0.op) }, uniquingKeysWith: { first, _ in first })
        for override in overrides {
            for target in try weightedTargets(of: override, in: names, hasWeight: { byName[$0]!.scaledWeight != nil },
                                              setting: .override) {
                let op = byName[target]!
                switch override.field {
                case .a: op.marking?.a = override.value
                case .b: op.marking?.b = override.value
                case .c: op.marking?.c = override.value
                case .sigma: op.marking?.initScale = override.value
                }
            }
        }
    }

    /// The ops `assignment` sets: every op its pattern matches, but for `b`, `c` and `sigma` only those with a weight
    /// (`blocks.*.b` skips the parameter-free attention logits); throws when nothing is left.
    static func weightedTargets(of assignment: OpAssignment, in names: [String], hasWeight: (String) -> Bool,
                                setting: SweepSetting) throws(ModelBuildError) -> [String] {
        let matched = try assignment.targets(in: names, setting: setting)
        guard assignment.field.needsWeight else { return matched }
        let weighted = matched.filter(hasWeight)
        guard !weighted.isEmpty else {
            throw .invalid(setting: setting, reason: "`\(assignment)`: " + matched.map { "`\($0)`" }.joined(separator: ", ")
                + " has no weight (a parameter-free contraction such as the attention logits), so only its `a` can be set")
        }
        return weighted
    }
}
