import Foundation
import MaxP
import MaxPDiagnostics

extension RunDescription {
    /// The description of a coord check run through the public ``CoordCheck`` runner — built-in or your own model
    /// — as `coord-check` writes it: the table's model, parametrization, optimizer and lr, the per-layer exponent
    /// table of the largest model, and the notes every run gets (SP's µP target, the base width, how much each op
    /// moved by the last step, diverged runs). Add your own settings and notes on top.
    public init(coordCheck result: CoordCheckResult, command: String = "") {
        self.init(table: result.table, command: command)
        layers = result.parametrizationTable.map {
            var row = LayerExponentRow(name: $0.name, role: $0.role, width: $0.width, a: $0.a, b: $0.b, c: $0.c ?? 0,
                                       lr: $0.learningRate, r: $0.r.isFinite ? $0.r : nil)
            row.epsilonFactor = $0.epsilonMultiplier
            return row
        }
        if result.theoryMode == .muPTarget {
            notes.append("Plain SP declares no width scaling: slopes are compared with the µP target for each op's role.")
        }
        if let rules = result.depthRules { notes.append(Self.depthRulesNote(rules)) }
        if let base = result.baseWidth {
            notes.append("Base width \(base): at width \(base) the parametrization equals SP, and the learning rates are η · (width/\(base))^-c.")
        }
        let movement = result.movement
        if let largest = result.table.rows.map(\.axisValue).max(), let last = result.table.rows.map(\.t).max(),
           !movement.isEmpty {
            let listed = movement.map { "`\($0.op)` \(Self.percent($0.relativeChange))" }.joined(separator: ", ")
            let at = result.table.metadata.axis == .heads ? "\(largest) heads" : "\(result.table.metadata.axis.rawValue) \(largest)"
            notes.append("Movement by t = \(last) at \(at) (delta_rms / rms at t = 0, mean over seeds): \(listed).")
        }
        for tie in result.parametrizationTable.compactMap(\.tiedWeight) {
            notes.append(tie.description + " At init `\(tie.sharer)`'s input holds `\(tie.owner)`'s rows of the tokens it reads, so "
                + "its size may scale up to width^½ faster than an untied readout's (the coherent term Σ W²); the expected slopes allow it.")
        }
        if !result.divergedJobs.isEmpty {
            notes.append("Diverged (NaN/Inf) runs: \(result.divergedJobs.map(\.description).joined(separator: "; ")).")
        }
    }

    /// The note on CompleteP's rules as applied to the model of the layer table: `Depth-µP at depth 8 (α = 1, base
    /// depth 1, m_L = 8; CompleteP's Table 1): residual branches × 0.125; hidden weights: lr η · m_N^-c; Adam ε · m_N^-1
    /// · m_L^-1 (the layer table's ε factor column in run.json); …`.
    public static func depthRulesNote(_ rules: AppliedDepthRules) -> String {
        let s = rules.scaling
        var parts = ["residual branches × \(FigureText.number(rules.branchMultiplier)) (m_L^\(DepthParameterRule.exponentText(-s.alpha)))"]
        for rule in rules.rules {
            var text = rule.description
            switch rule.parameters {
            case .hiddenWeights:
                text += " (lr × \(FigureText.number(rules.hiddenLearningRateFactor))"
                    + (rule.epsilonDepthExponent == nil ? ")" : "; each op's ε factor is `epsilonFactor` in run.json's layers)")
            case .blockNorms:
                guard !rules.blockParameters.isEmpty else { continue }
                text += " (group `_blocks`, \(rules.blockParameters.count) parameters: lr "
                    + (rules.blockLearningRate.map { FigureText.number($0) } ?? "η")
                    + (rules.blockEpsilonMultiplier.map { $0 == 1 ? "" : ", ε × \(FigureText.number($0))" } ?? "") + ")"
            case .outsideBlocks:
                break
            }
            parts.append(text)
        }
        let optimizerNote = rules.optimizer == .adam ? "" : "; \(rules.optimizer.rawValue) has no Adam ε, so only the learning rates scale"
        return "Depth-µP at depth \(s.depth) (α = \(DepthParameterRule.exponentText(s.alpha)), base depth \(s.baseDepth), "
            + "m_L = \(FigureText.number(s.ratio)); CompleteP's Table 1, m_N = width / base width): "
            + parts.joined(separator: "; ") + optimizerNote + "."
    }

    /// `12%`, `0.3%`, `<0.01%`.
    static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "nan" }
        let p = value * 100
        if p == 0 { return "0%" }
        if p < 0.01 { return "<0.01%" }
        return p >= 10 ? String(format: "%.0f%%", p) : (p >= 1 ? String(format: "%.1f%%", p) : String(format: "%.2f%%", p))
    }
}

