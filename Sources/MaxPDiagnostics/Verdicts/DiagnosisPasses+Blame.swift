import MaxP

extension DiagnosisPasses {
    /// The blame pass: names the op to fix for every deviation.
    ///
    /// 1. Per (t, statistic) in topological order: a deviation whose own part (given its inputs' measured slopes)
    ///    is within tolerance is inherited from its earliest deviating input; otherwise, at t = 0, the op is blamed
    ///    with the Δa that would fix it.
    /// 2. After training, an op whose init slope is already off explains the deviations downstream of it in the
    ///    forward graph and — with SGD, whose updates scale with the gradient flowing back — upstream of it in the
    ///    backward graph.
    /// 3. After training, an op whose change grows with a correct init slope (its learning rate is off) explains
    ///    the deviations downstream of it at that step whose own change grows no faster: the earliest such op is
    ///    fixed first.
    mutating func blame() {
        blameWithinEachStep()
        let initCulprits = initCulprits()
        blameInitCulprits(initCulprits)
        blameLearningRateCulprits(excluding: initCulprits)
    }

    private mutating func blameWithinEachStep() {
        for t in steps {
            for statistic in statistics {
                for op in ops {
                    let key = Key(op: op, t: t, statistic: statistic)
                    guard var verdict = verdicts[key], let slope = verdict.fit.slope,
                          verdict.verdict.isDeviation || (verdict.verdict == .inconclusive && verdict.lossJumped),
                          let descriptor = theory.descriptor(of: op),
                          let conditional = theory.conditionalExpectedSlope(of: op, t: t, statistic: statistic,
                                                                            measured: measured),
                          !conditional.isExactZero else { continue }
                    let own = slope - conditional.nearest(to: slope)
                    verdict.ownDeviation = own
                    let culprits = descriptor.inputs.compactMap { input -> String? in
                        guard let upstream = verdicts[Key(op: input, t: t, statistic: statistic)],
                              upstream.verdict.isDeviation else { return nil }
                        return upstream.inheritedFrom ?? input
                    }
                    if abs(own) <= policy.tolerance(at: t), verdict.verdict.isDeviation,
                       let culprit = culprits.min(by: { (theory.topologicalIndex(of: $0) ?? .max) < (theory.topologicalIndex(of: $1) ?? .max) }) {
                        verdict.inheritedFrom = culprit
                        verdict.suggestedDeltaA = nil
                        verdict.explanation = .inherited(from: culprit, deviation: verdict.deviation ?? 0, own: own)
                    } else if verdict.verdict.isDeviation, t == 0, !statistic.measuresChange,
                              let exponents = theory.effectiveExponents(of: op) {
                        verdict.suggestedDeltaA = own
                        verdict.explanation = .blamed(own: own, declaredA: exponents.a, againstMuPTarget: mode == .muPTarget,
                                                      hint: Self.fixHint(kind: descriptor.kind, op: op, exponents: exponents))
                    }
                    verdicts[key] = verdict
                }
            }
        }
    }

    /// The ops blamed at t = 0 (deviating, not inherited), with their Δa.
    private func initCulprits() -> [String: Double] {
        var culprits: [String: Double] = [:]
        // In a fixed order (l1 before rms), so the Δa quoted downstream does not depend on dictionary order.
        for (key, verdict) in verdicts.sorted(by: { ($0.key.op, $0.key.statistic.rawValue) < ($1.key.op, $1.key.statistic.rawValue) })
            where key.t == 0 && !key.statistic.measuresChange && verdict.verdict.isDeviation && verdict.inheritedFrom == nil {
            if let delta = verdict.suggestedDeltaA, culprits[key.op] == nil { culprits[key.op] = delta }
        }
        return culprits
    }

    /// After training: a deviation downstream of an op whose init slope is already off (its own `a` is wrong) is
    /// that op's doing, even when the culprit's own change stays within theory's bound at that step; with SGD so is
    /// a deviation upstream of it.
    private mutating func blameInitCulprits(_ culprits: [String: Double]) {
        guard !culprits.isEmpty else { return }
        let backward = Diagnosis.gradientScaleReachesUpstream(table.metadata.optimizer)
        for (key, verdict) in verdicts where key.t > 0 && verdict.verdict.isDeviation && verdict.inheritedFrom == nil
            && culprits[key.op] == nil {
            guard let (culprit, direction) = graph.nearestCulprit(of: key.op, among: culprits, backward: backward)
            else { continue }
            var updated = verdict
            updated.inheritedFrom = culprit
            updated.suggestedDeltaA = nil
            updated.explanation = switch direction {
            case .forward: .downstreamOfInitCulprit(culprit: culprit, deltaA: culprits[culprit]!, then: verdict.explanation)
            case .backward: .upstreamOfInitCulprit(culprit: culprit, deltaA: culprits[culprit]!, then: verdict.explanation)
            }
            verdicts[key] = updated
        }
    }

    /// After training: a deviation downstream of an op whose change grows with a correct init slope (its learning
    /// rate does not shrink with width) is that op's doing at that step — unless the op's own change grows faster
    /// than the culprit's (beyond tolerance): then its own learning rate is off too (plain SP: every hidden layer's).
    /// Ops whose declared r < 0 are left alone (their own parametrization is unstable).
    private mutating func blameLearningRateCulprits(excluding initCulprits: [String: Double]) {
        for t in steps where t > 0 {
            var culprits: [String: Double] = [:]
            for op in ops {  // topological order: culprits upstream are known before their consumers
                let exponents = theory.effectiveExponents(of: op)
                let change = verdicts[Key(op: op, t: t, statistic: .deltaRMS)]
                let ownGrowth = change?.verdict == .grows ? change?.deviation : nil
                if !culprits.isEmpty, initCulprits[op] == nil, exponents.map({ $0.r >= 0 }) ?? true,
                   let (culprit, _) = graph.nearestCulprit(of: op, among: culprits, backward: false),
                   (ownGrowth ?? -.infinity) <= culprits[culprit]! + policy.tolerance(at: t) {
                    for statistic in statistics {
                        let key = Key(op: op, t: t, statistic: statistic)
                        guard var verdict = verdicts[key], verdict.verdict.isDeviation, verdict.inheritedFrom == nil
                        else { continue }
                        verdict.inheritedFrom = culprit
                        verdict.suggestedDeltaA = nil
                        verdict.explanation = .downstreamOfLearningRateCulprit(culprit: culprit, then: verdict.explanation)
                        verdicts[key] = verdict
                    }
                    continue
                }
                guard let change, change.verdict == .grows, change.inheritedFrom == nil, initCulprits[op] == nil,
                      let exponents, exponents.hasWeight, exponents.r >= 0 else { continue }
                culprits[op] = change.deviation ?? 0
            }
        }
    }

    /// The usual code-level cause of a wrong `a` at `op`.
    static func fixHint(kind: String, op: String, exponents: ParametrizedExponents) -> VerdictExplanation.FixHint? {
        let role = OpRoleNames.role(forName: kind)?.role ?? OpRoleNames.role(forName: op)?.role
        if !exponents.hasWeight || role == .attentionLogits { return .attentionScaling }
        if role == .readout { return .readoutMultiplier }
        return nil
    }
}
