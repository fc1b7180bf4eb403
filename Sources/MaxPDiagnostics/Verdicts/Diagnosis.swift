import Foundation
import MaxP

/// Turns a ``CoordTable`` into verdicts: fits every (op, t, statistic), compares with ``Theory``, attributes blame
/// to the earliest op whose own deviation is not explained by its inputs, and writes the fix.
public enum Diagnosis {
    /// Judges every (op, t, statistic) of `table`, in op order, then t, then statistic (`delta_rms` is skipped at
    /// t = 0, where it is zero by definition).
    ///
    /// - Parameters:
    ///   - table: the measurements; its metadata's `ops` is the graph theory uses (ops missing from it get no
    ///     expectation), its `lossSeries` the loss-jump check.
    ///   - mode: declared exponents, or the µP target (for a plain SP model).
    ///   - policy: tolerances and interval limits.
    ///   - statistics: which statistics to judge.
    public static func judge(_ table: CoordTable, mode: TheoryMode = .declared, policy: VerdictPolicy = .standard,
                             statistics: [CoordStatistic] = CoordStatistic.allCases) -> [OpVerdict] {
        let theory = Theory(ops: table.metadata.ops, mode: mode)
        let ops = table.opOrder
        let steps = table.steps
        let axisValues = table.axisValues
        let jumps = lossJumps(table.metadata.lossSeries, ratio: policy.lossJumpRatio, axisValues: axisValues)

        struct Key: Hashable { var op: String; var t: Int; var statistic: CoordStatistic }
        struct Site: Hashable { var op: String; var t: Int }
        // Rows grouped once per (op, t), in stored order (the same samples as `table.samples`, in one pass).
        var rowsBySite: [Site: [CoordRow]] = [:]
        for row in table.rows { rowsBySite[Site(op: row.op, t: row.t), default: []].append(row) }
        var fits: [Key: SlopeFit] = [:]
        var samplesByKey: [Key: [SlopeSample]] = [:]
        for op in ops {
            for t in steps {
                guard let rows = rowsBySite[Site(op: op, t: t)] else { continue }
                for statistic in statistics where !(t == 0 && statistic == .deltaRMS) {
                    let samples = rows.map { SlopeSample(axisValue: $0.axisValue, seed: $0.seed, value: $0.value(of: statistic)) }
                    fits[Key(op: op, t: t, statistic: statistic)] = SlopeFit.fit(samples)
                    samplesByKey[Key(op: op, t: t, statistic: statistic)] = samples
                }
            }
        }
        func measured(_ op: String, _ t: Int, _ statistic: CoordStatistic) -> Double? {
            guard let fit = fits[Key(op: op, t: t, statistic: statistic)], fit.status != .allZero else { return nil }
            return fit.slope
        }

        // `table.kind(of:)` for every op, in one pass: the metadata's kind first, else the first row's.
        var kinds: [String: String] = [:]
        for descriptor in table.metadata.ops where kinds[descriptor.op] == nil { kinds[descriptor.op] = descriptor.kind }
        for row in table.rows where kinds[row.op] == nil { kinds[row.op] = row.kind }
        let stability = TrainingStability(table.metadata.lossSeries, axisValues: axisValues, ratio: policy.lossJumpRatio,
                                          riseRatio: policy.unstableRiseRatio)
        var verdicts: [Key: OpVerdict] = [:]
        for (key, fit) in fits {
            let expectation = theory.expectedSlope(of: key.op, t: key.t, statistic: key.statistic)
            verdicts[key] = judgeOne(op: key.op, kind: kinds[key.op] ?? "", t: key.t, statistic: key.statistic,
                                     fit: fit, expectation: expectation, policy: policy, axisValues: axisValues,
                                     jump: jumps[key.t])
            verdicts[key] = FiniteWidthCorrection.revised(verdicts[key]!, samples: samplesByKey[key] ?? [],
                                                          policy: policy)
            verdicts[key] = stability.revised(verdicts[key]!)
        }

        // Finite-width bias travels downstream: a t = 0 deviation explained by an input's finite-width bias is that bias.
        for statistic in statistics where !statistic.measuresChange {
            for op in ops {
                let key = Key(op: op, t: 0, statistic: statistic)
                guard let verdict = verdicts[key], verdict.verdict.isDeviation, let slope = verdict.fit.slope,
                      let source = theory.descriptor(of: op)?.inputs
                          .compactMap({ verdicts[Key(op: $0, t: 0, statistic: statistic)] })
                          .first(where: { $0.reason?.isFiniteWidth == true }),
                      let conditional = theory.conditionalExpectedSlope(of: op, t: 0, statistic: statistic,
                                                                        measured: measured) else { continue }
                verdicts[key] = FiniteWidthCorrection.inherited(verdict, own: slope - conditional.nearest(to: slope),
                                                                from: source, policy: policy)
            }
        }

        // Blame: per (t, statistic), in topological order.
        for t in steps {
            for statistic in statistics {
                for op in ops {
                    let key = Key(op: op, t: t, statistic: statistic)
                    guard var verdict = verdicts[key], let slope = verdict.fit.slope,
                          verdict.verdict.isDeviation || (verdict.verdict == .inconclusive && verdict.lossJumped),
                          let descriptor = theory.descriptor(of: op) else { continue }
                    let conditional = theory.conditionalExpectedSlope(of: op, t: t, statistic: statistic,
                                                                      measured: measured)
                    guard let conditional, !conditional.isExactZero else { continue }
                    let own = slope - conditional.nearest(to: slope)
                    verdict.ownDeviation = own
                    let tolerance = policy.tolerance(at: t)
                    let culprits = descriptor.inputs.compactMap { input -> String? in
                        guard let upstream = verdicts[Key(op: input, t: t, statistic: statistic)],
                              upstream.verdict.isDeviation else { return nil }
                        return upstream.inheritedFrom ?? input
                    }
                    if abs(own) <= tolerance, verdict.verdict.isDeviation,
                       let culprit = culprits.min(by: { (theory.topologicalIndex(of: $0) ?? .max) < (theory.topologicalIndex(of: $1) ?? .max) }) {
                        verdict.inheritedFrom = culprit
                        verdict.suggestedDeltaA = nil
                        verdict.message = "inherits the deviation of `\(culprit)` (δ = \(signed(verdict.deviation ?? 0)), "
                            + "own δ = \(signed(own)) given its inputs' measured slopes): fix `\(culprit)` first"
                    } else if verdict.verdict.isDeviation, t == 0, !statistic.measuresChange,
                              let exponents = theory.effectiveExponents(of: op) {
                        verdict.suggestedDeltaA = own
                        verdict.message = fixMessage(op: op, kind: descriptor.kind, own: own, exponents: exponents,
                                                     mode: mode)
                    }
                    verdicts[key] = verdict
                }
            }
        }

        // After training: a deviation downstream of an op whose init slope is already off (its own `a` is wrong) is
        // that op's doing, even when the culprit's own change stays within theory's bound at that step.
        let graph = BlameGraph(theory: theory)
        var initCulprits: [String: Double] = [:]
        // In a fixed order (l1 before rms), so the Δa quoted downstream does not depend on dictionary order.
        for (key, verdict) in verdicts.sorted(by: { ($0.key.op, $0.key.statistic.rawValue) < ($1.key.op, $1.key.statistic.rawValue) })
            where key.t == 0 && !key.statistic.measuresChange && verdict.verdict.isDeviation && verdict.inheritedFrom == nil {
            if let delta = verdict.suggestedDeltaA, initCulprits[key.op] == nil { initCulprits[key.op] = delta }
        }
        if !initCulprits.isEmpty {
            let backward = gradientScaleReachesUpstream(table.metadata.optimizer)
            for (key, verdict) in verdicts where key.t > 0 && verdict.verdict.isDeviation && verdict.inheritedFrom == nil
                && initCulprits[key.op] == nil {
                guard let (culprit, direction) = graph.nearestCulprit(of: key.op, among: initCulprits,
                                                                      backward: backward) else { continue }
                var updated = verdict
                updated.inheritedFrom = culprit
                updated.suggestedDeltaA = nil
                switch direction {
                case .forward:
                    updated.message = "downstream of `\(culprit)`, whose init slope is already off (Δa = \(signed(initCulprits[culprit]!))): "
                        + "fix `\(culprit)` first (" + verdict.message + ")"
                case .backward:
                    updated.reason = .inheritedBackward
                    updated.message = "upstream of `\(culprit)` in the backward pass: its init slope is already off (Δa = \(signed(initCulprits[culprit]!))), "
                        + "which scales every gradient flowing back through it: fix `\(culprit)` first (" + verdict.message + ")"
                }
                verdicts[key] = updated
            }
        }

        // After training: a change that grows downstream of an op whose own learning rate is off (its change grows
        // with a correct init slope) is that op's doing: fix the earliest such op first (autofix re-runs to verify).
        for t in steps where t > 0 {
            var learningRateCulprits: [String: Double] = [:]
            for op in ops {  // topological order: culprits upstream are known before their consumers
                let exponents = theory.effectiveExponents(of: op)
                if !learningRateCulprits.isEmpty, initCulprits[op] == nil, exponents.map({ $0.r >= 0 }) ?? true,
                   let (culprit, _) = graph.nearestCulprit(of: op, among: learningRateCulprits, backward: false) {
                    for statistic in statistics {
                        let key = Key(op: op, t: t, statistic: statistic)
                        guard let verdict = verdicts[key], verdict.verdict.isDeviation, verdict.inheritedFrom == nil
                        else { continue }
                        var updated = verdict
                        updated.inheritedFrom = culprit
                        updated.suggestedDeltaA = nil
                        updated.message = "downstream of `\(culprit)`, whose change already grows with a correct init slope "
                            + "(its learning rate does not shrink with width): fix `\(culprit)` first (" + verdict.message + ")"
                        verdicts[key] = updated
                    }
                    continue
                }
                guard let change = verdicts[Key(op: op, t: t, statistic: .deltaRMS)], change.verdict == .grows,
                      change.inheritedFrom == nil, initCulprits[op] == nil, let exponents, exponents.hasWeight,
                      exponents.r >= 0 else { continue }
                learningRateCulprits[op] = change.deviation ?? 0
            }
        }

        // After training: point at the learning rate when the init slope was right.
        for (key, verdict) in verdicts where key.t > 0 && key.statistic.measuresChange && verdict.verdict == .grows
            && verdict.inheritedFrom == nil {
            guard let exponents = theory.effectiveExponents(of: key.op), let deviation = verdict.deviation else { continue }
            let initVerdict = verdicts[Key(op: key.op, t: 0, statistic: .l1)] ?? verdicts[Key(op: key.op, t: 0, statistic: .rms)]
            var updated = verdict
            if exponents.r < 0 {
                updated.message = "the declared parametrization is unstable at `\(key.op)`: r = \(Theory.format(exponents.r)) < 0, "
                    + "so its updates grow as width^\(Theory.format(-exponents.r)) (measured Δ slope \(signed(verdict.fit.slope ?? 0))); "
                    + "raise its learning-rate exponent c (or a) by at least \(Theory.format(-exponents.r)) so that r ≥ 0"
            } else if initVerdict?.verdict == .ok {
                updated.message = "`\(key.op)`'s change grows as width^\(signed(verdict.fit.slope ?? 0)) against −r = \(Theory.format(-exponents.r)) "
                    + "with a correct init slope: its learning rate does not shrink with width: c looks \(Theory.format(deviation)) too small "
                    + "(or the alignment is larger than the LP assumed)"
            } else if initVerdict != nil {
                updated.message += "; its init slope is already off (see t = 0): fix a first"
            }
            verdicts[key] = updated
        }

        var ordered: [OpVerdict] = []
        for op in ops {
            for t in steps {
                for statistic in statistics {
                    if let verdict = verdicts[Key(op: op, t: t, statistic: statistic)] { ordered.append(verdict) }
                }
            }
        }
        return ordered
    }

    // MARK: - One verdict

    static func judgeOne(op: String, kind: String, t: Int, statistic: CoordStatistic, fit: SlopeFit,
                         expectation: ExpectedSlope?, policy: VerdictPolicy, axisValues: [Int],
                         jump: String?) -> OpVerdict {
        var verdict = OpVerdict(op: op, kind: kind, t: t, statistic: statistic, fit: fit, expectation: expectation,
                                expected: expectation.map { $0.isExactZero ? 0 : $0.representative },
                                deviation: nil, deviationInterval: nil, ownDeviation: nil, verdict: .inconclusive,
                                suggestedDeltaA: nil, inheritedFrom: nil, message: "", seedsNeeded: nil,
                                widthDoublingsNeeded: nil, lossJumped: jump != nil)
        let tolerance = policy.tolerance(at: t)
        let name = "`\(op)` (\(statistic.rawValue), t = \(t))"

        if fit.status == .allZero {
            verdict.verdict = .zero
            verdict.deviation = expectation?.isExactZero == true ? 0 : nil
            verdict.message = expectation?.isExactZero == true
                ? "\(name) is exactly zero at every \(axisName(axisValues)), as expected (\(expectation!.rule))"
                : "\(name) is exactly zero at every axis value: not fitted"
                    + (statistic.measuresChange ? " (the op never changes: is it frozen or its learning rate 0?)" : "")
            return verdict
        }
        guard let slope = fit.slope else {
            verdict.verdict = fit.status == .diverged && divergesWithWidth(fit, axisValues: axisValues) ? .grows : .inconclusive
            verdict.message = fit.status == .diverged
                ? "\(name) diverged (NaN/Inf) at axis values \(fit.divergentAxisValues.map(String.init).joined(separator: ", ")); too few finite points to fit"
                : "\(name): fewer than two usable axis values (zeros or missing rows), no slope"
            return verdict
        }
        if let expectation, expectation.isExactZero {
            verdict.expected = 0
            verdict.verdict = .grows
            verdict.message = "\(name) should be exactly zero (\(expectation.rule)) but is not"
            return verdict
        }

        let interval = fit.interval95
        let halfWidth = interval?.halfWidth ?? .infinity
        let maxHalfWidth = policy.maxIntervalHalfWidth(at: t)
        var message: String
        var decision: Verdict

        if let expectation {
            let expected = expectation.nearest(to: slope)
            let deviation = slope - expected
            verdict.expected = expected
            verdict.deviation = deviation
            verdict.deviationInterval = interval?.shifted(by: -expected)
            let ruleText = "expected \(describe(expectation)) (\(expectation.rule))"
            if slope > expectation.upper + tolerance, let interval, interval.lower > expectation.upper {
                decision = .grows
                message = "\(name) grows as width^\(signed(slope)), \(ruleText): δ = \(signed(deviation))"
            } else if !expectation.isUpperBoundOnly, slope < expectation.lower - tolerance, let interval,
                      interval.upper < expectation.lower {
                decision = .shrinks
                message = "\(name) shrinks as width^\(signed(slope)), \(ruleText): δ = \(signed(deviation))"
            } else if slope <= expectation.upper + tolerance
                        && (expectation.isUpperBoundOnly || slope >= expectation.lower - tolerance)
                        && halfWidth <= maxHalfWidth {
                decision = .ok
                message = "\(name) slope \(signed(slope)) ± \(format(halfWidth)), \(ruleText)"
                if expectation.isUpperBoundOnly && slope < expectation.upper - tolerance {
                    message += "; it learns less than maximally at large width (information, not a bug)"
                }
            } else {
                decision = .inconclusive
                let boundary = slope > expectation.upper ? expectation.upper : expectation.lower
                let target = abs(slope - boundary) > tolerance ? abs(slope - boundary) : maxHalfWidth
                message = "\(name) slope \(signed(slope)) ± \(halfWidth.isFinite ? format(halfWidth) : "∞"), \(ruleText): "
                    + "the interval is too wide to decide"
                verdict.reason = .wideInterval
                advise(&verdict, fit: fit, halfWidth: halfWidth, target: target, message: &message)
            }
        } else {
            decision = .unjudged
            message = "\(name) slope \(signed(slope)): no rule judges kind `\(kind)` (unjudged); only the absolute "
                + "stability check of the change since init applies"
        }

        // Absolute stability of the change since init.
        if t > 0, statistic.measuresChange, decision != .grows, slope > tolerance, let interval, interval.lower > 0 {
            decision = .grows
            message = "\(name): updates blow up with width (Δ slope \(signed(slope)) > 0)"
            if verdict.deviation == nil { verdict.deviation = slope }
        }
        // Divergence tied to width.
        if fit.status == .diverged {
            if divergesWithWidth(fit, axisValues: axisValues) {
                decision = .grows
                message = "\(name) diverges (NaN/Inf) at the largest axis values \(fit.divergentAxisValues.map(String.init).joined(separator: ", ")); fitted on the finite ones: slope \(signed(slope))"
            } else {
                decision = .inconclusive
                verdict.reason = .divergenceNotTiedToWidth
                message = "\(name) has NaN/Inf at axis values \(fit.divergentAxisValues.map(String.init).joined(separator: ", ")) not tied to growing width; " + message
            }
        }
        // Too few seeds: the interval across seeds is not trusted for small deviations.
        if decision.isDeviation, fit.seedCount < policy.minimumSeedsForDeviation, let deviation = verdict.deviation,
           abs(deviation) <= policy.fewSeedsToleranceFactor * tolerance {
            decision = .inconclusive
            message = "only \(fit.seedCount) seed\(fit.seedCount == 1 ? "" : "s"): a deviation of \(signed(deviation)) is not "
                + "trusted below \(policy.minimumSeedsForDeviation) seeds unless it exceeds \(format(policy.fewSeedsToleranceFactor * tolerance)); "
                + "add seeds (" + message + ")"
            verdict.seedsNeeded = policy.minimumSeedsForDeviation
            verdict.reason = .fewSeeds
        }
        // Loss jumps make deviations untrustworthy.
        if let jump, decision.isDeviation {
            decision = .inconclusive
            verdict.reason = .lossJump
            message = "the loss jumps at step \(t) (\(jump)): the \(name) deviation is not trusted; lower the learning rate "
                + "or judge an earlier step (" + message + ")"
        }
        if decision != .inconclusive { verdict.reason = nil }  // a later rule decided after all
        verdict.verdict = decision
        verdict.message = message
        return verdict
    }

    /// Fills how many seeds / width doublings would shrink the interval from `halfWidth` to `target`.
    private static func advise(_ verdict: inout OpVerdict, fit: SlopeFit, halfWidth: Double, target: Double,
                               message: inout String) {
        guard halfWidth.isFinite, target > 0 else {
            message += " (no interval: add seeds or axis values)"
            return
        }
        let factor = halfWidth / target
        let seeds = max(fit.seedCount, 1)
        let seedsNeeded = max(seeds + 1, Int((Double(seeds) * factor * factor).rounded(.up)))
        verdict.seedsNeeded = seedsNeeded
        let x = fit.fittedAxisValues.map { log2(Double($0)) }
        var doublings: Int?
        if let top = x.max(), fit.sumOfSquaredDeviationsOfLog2Axis > 0 {
            var values = x
            for extra in 1...12 {
                values.append(top + Double(extra))
                let mean = values.reduce(0, +) / Double(values.count)
                let sxx = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                if sxx >= factor * factor * fit.sumOfSquaredDeviationsOfLog2Axis { doublings = extra; break }
            }
        }
        verdict.widthDoublingsNeeded = doublings
        message += " (±\(format(halfWidth)), needs ±\(format(target))): about \(seedsNeeded) seeds (now \(fit.seedCount))"
        if let doublings { message += " or \(doublings) more width doubling\(doublings == 1 ? "" : "s")" }
        message += " would decide it"
    }

    /// The human-readable fix for the blamed parametrized op at t = 0.
    static func fixMessage(op: String, kind: String, own: Double, exponents: ParametrizedExponents,
                           mode: TheoryMode) -> String {
        let magnitude = Theory.format(abs(own))
        let direction = own > 0 ? "below" : "above"
        let declared = Theory.format(exponents.a)
        var text = "effective a of `\(op)` is \(magnitude) \(direction) its \(mode == .muPTarget ? "µP target" : "declared") \(declared): "
            + "multiply its output by width^\(Theory.format(-own)) (set a = \(declared) in code"
        let role = OpRoleNames.role(forName: kind)?.role ?? OpRoleNames.role(forName: op)?.role
        if !exponents.hasWeight || role == .attentionLogits {
            text += ", or fix the 1/√d scaling"
        } else if role == .readout {
            text += ", or restore the readout multiplier"
        }
        return text + ")"
    }

    /// Steps at which some run's loss jumps, with a description of the first jump seen.
    static func lossJumps(_ series: [LossSeries], ratio: Double, axisValues: [Int] = []) -> [Int: String] {
        var jumps: [Int: String] = [:]
        var jumpedValues: [Int: Set<Int>] = [:]
        for run in series.sorted(by: { ($0.axisValue, $0.seed) < ($1.axisValue, $1.seed) }) where run.losses.count > 1 {
            for t in 1..<run.losses.count {
                let previous = run.losses[t - 1], current = run.losses[t]
                let jumped = previous.isFinite && (!current.isFinite || current > ratio * previous)
                guard jumped else { continue }
                jumpedValues[t, default: []].insert(run.axisValue)
                if jumps[t] == nil {
                    jumps[t] = "axis value \(run.axisValue), seed \(run.seed): \(format(previous)) → \(format(current))"
                }
            }
        }
        // Jumps only at the largest axis values (the smallest is calm) are the width instability being diagnosed,
        // not noise: they do not make the step untrustworthy.
        let sorted = axisValues.sorted()
        for (t, values) in jumpedValues {
            guard let smallest = sorted.first, !values.contains(smallest) else { continue }
            if Set(sorted.suffix(values.count)) == values { jumps[t] = nil }
        }
        return jumps
    }

    /// Whether an init-time deviation of an op scales the updates of the ops upstream of it: true for SGD, whose
    /// update is proportional to the gradient flowing back; false for Adam (and Adafactor), whose update size does
    /// not depend on the gradient's scale, and when the optimizer is unknown.
    static func gradientScaleReachesUpstream(_ optimizer: String?) -> Bool {
        optimizer.flatMap(OptimizerKind.init(parsing:)) == .sgd
    }

    /// Whether the non-finite axis values are exactly the largest ones (and the smallest is finite).
    static func divergesWithWidth(_ fit: SlopeFit, axisValues: [Int]) -> Bool {
        let divergent = Set(fit.divergentAxisValues)
        guard !divergent.isEmpty, let first = axisValues.first, !divergent.contains(first) else { return false }
        let suffix = axisValues.suffix(divergent.count)
        return Set(suffix) == divergent
    }

    private static func describe(_ expectation: ExpectedSlope) -> String {
        if expectation.isUpperBoundOnly { return "≤ \(Theory.format(expectation.upper))" }
        if expectation.isPoint { return Theory.format(expectation.upper) }
        return "in [\(Theory.format(expectation.lower)), \(Theory.format(expectation.upper))]"
    }

    private static func axisName(_ values: [Int]) -> String { "axis value" }

    static func signed(_ value: Double) -> String {
        let text = String(format: "%.3f", value)
        // A tiny negative value prints as "-0.000": show it as +0.000 rather than "+-0.000".
        if text.hasPrefix("-") { return Double(text) == 0 ? "+" + text.dropFirst() : text }
        return "+" + text
    }

    static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
