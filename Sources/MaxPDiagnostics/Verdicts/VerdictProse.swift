import Foundation

/// Every sentence the diagnostics say about a verdict, written in one place: a verdict's message (report, console,
/// `slopes.json` `message`), the gate's JUnit note on an inconclusive check, and autofix's verification. Deciding code
/// produces values (``VerdictExplanation``, ``AutoFixVerification``); only this type turns them into words.
public enum VerdictProse {
    /// The message of `verdict`: why it is what it is and what to do, in plain words.
    public static func message(for verdict: OpVerdict) -> String {
        render(verdict.explanation, of: verdict)
    }

    /// The JUnit `<skipped>` message of a gate check whose current verdict is inconclusive (`axis`: the swept axis,
    /// whose values it advises adding).
    public static func inconclusiveCheck(_ key: SlopeKey, axis: SweepAxis = .width) -> String {
        "\(key.description): inconclusive now, the data cannot decide it (add seeds or \(axis == .depth ? "depths" : "widths"))"
    }

    /// One line on autofix's verification re-run (`seeds`: how many seeds it used).
    public static func verification(_ verification: AutoFixVerification, seeds: Int) -> String {
        switch verification {
        case .nothingToFix: "nothing to correct"
        case .verified: "verified with \(seeds) seed\(plural(seeds)): every corrected op is ok"
        case let .stillDeviates(ops): "not verified: \(list(ops)) still deviate\(ops.count == 1 ? "s" : "") after the fix"
        case let .intervalTooWide(ops, seedsNeeded):
            "not verified: interval too wide at \(list(ops)) with \(seeds) seed\(plural(seeds))"
                + (seedsNeeded.map { ", needs \($0) seeds" } ?? ", needs more seeds or widths")
        case let .undecided(ops): "not verified: \(list(ops)) undecided after the fix (see its verdict)"
        }
    }

    /// The gate's one-line explanation of a regression (terminal table and JUnit failure message).
    public static func regression(_ r: GateRegression) -> String {
        let key = SlopeKey(op: r.op, t: r.t, statistic: r.statistic).description
        func number(_ value: Double?) -> String { value.map { Diagnosis.signed($0) } ?? "none" }
        switch r.reason {
        case .slopeChanged:
            return "\(key): slope \(number(r.current)) vs baseline \(number(r.baseline)) (Δ \(number(r.delta)))"
        case .verdictWorsened:
            return "\(key): verdict \(r.baselineVerdict?.rawValue ?? "?") → \(r.currentVerdict?.rawValue ?? "?") "
                + "(slope \(number(r.current)) vs baseline \(number(r.baseline)))"
        case .missing:
            return "\(key): present in the baseline, missing now (op renamed or removed?)"
        case .slopeUnavailable:
            return "\(key): baseline slope \(number(r.baseline)), no slope now (diverged or too few points)"
        case .theory:
            let expectation = r.expected.map { ", theory expects \(Diagnosis.signed($0))" } ?? ""
            let was = r.baselineVerdict.map { "; baseline verdict \($0.rawValue)" } ?? "; not in the baseline"
            let origin = r.inheritedFrom.map { "; inherited from `\($0)`" } ?? ""
            return "\(key): \(r.currentVerdict?.rawValue ?? "?") (slope \(number(r.current))\(expectation)\(was)\(origin))"
        }
    }

    // MARK: - Verdict messages

    private static func render(_ explanation: VerdictExplanation, of verdict: OpVerdict) -> String {
        let name = "`\(verdict.op)` (\(verdict.statistic.rawValue), t = \(verdict.t))"
        let signed = Diagnosis.signed, format = Diagnosis.format
        let expectation = verdict.expectation
        let ruleText = expectation.map { "expected \(describe($0)) (\($0.rule))" } ?? ""
        let depthRuleText = expectation.map { "expected \(describeInDepth($0)) (\($0.rule))" } ?? ""
        switch explanation {
        case .zeroAsExpected:
            return "\(name) is exactly zero at every axis value, as expected (\(expectation?.rule ?? ""))"
        case .zeroNotFitted:
            return "\(name) is exactly zero at every axis value: not fitted"
                + (verdict.statistic.measuresChange ? " (the op never changes: is it frozen or its learning rate 0?)" : "")
        case let .divergedUnfittable(values):
            return "\(name) diverged (NaN/Inf) at axis values \(numbers(values)); too few finite points to fit"
        case .tooFewAxisValues:
            return "\(name): fewer than two usable axis values (zeros or missing rows), no slope"
        case .shouldBeZero:
            return "\(name) should be exactly zero (\(expectation?.rule ?? "")) but is not"
        case let .deviates(direction, slope, deviation):
            return "\(name) \(direction == .shrinks ? "shrinks" : "grows") as width^\(signed(slope)), \(ruleText): δ = \(signed(deviation))"
        case let .agrees(slope, halfWidth, learnsLess):
            return "\(name) slope \(signed(slope)) ± \(format(halfWidth)), \(ruleText)"
                + (learnsLess ? "; it learns less than maximally at large width (information, not a bug)" : "")
        case let .intervalTooWide(slope, halfWidth, target, seeds, seedsNeeded, doublings):
            var text = "\(name) slope \(signed(slope)) ± \(halfWidth.isFinite ? format(halfWidth) : "∞"), \(ruleText): "
                + "the interval is too wide to decide"
            guard let seedsNeeded else { return text + " (no interval: add seeds or axis values)" }
            text += " (±\(format(halfWidth)), needs ±\(format(target))): about \(seedsNeeded) seeds (now \(seeds))"
            if let doublings { text += " or \(doublings) more width doubling\(plural(doublings))" }
            return text + " would decide it"
        case let .noRule(slope):
            return "\(name) slope \(signed(slope)): no rule judges kind `\(verdict.kind)` (unjudged); only the absolute "
                + "stability check of the change since init applies"
        case let .updatesBlowUp(slope):
            return "\(name): updates blow up with width (Δ slope \(signed(slope)) > 0)"
        case let .divergesWithWidth(values, slope):
            return "\(name) diverges (NaN/Inf) at the largest axis values \(numbers(values)); fitted on the finite ones: slope \(signed(slope))"
        case let .divergenceNotTiedToWidth(values, then):
            return "\(name) has NaN/Inf at axis values \(numbers(values)) not tied to growing width; " + render(then, of: verdict)
        case let .fewSeeds(seeds, deviation, minimum, threshold, then):
            return "only \(seeds) seed\(plural(seeds)): a deviation of \(signed(deviation)) is not "
                + "trusted below \(minimum) seeds unless it exceeds \(format(threshold)); "
                + "add seeds (" + render(then, of: verdict) + ")"
        case let .lossJump(step, jump, then):
            return "the loss jumps at step \(step) (\(jump)): the \(name) deviation is not trusted; lower the learning rate "
                + "or judge an earlier step (" + render(then, of: verdict) + ")"
        case let .unstableTraining(step, run, then):
            return "training is unstable at the smallest axis value by step \(step) (\(run)): "
                + "a width trend says nothing about the parametrization; lower the learning rate (" + render(then, of: verdict) + ")"
        case let .finiteWidth(deviation, review):
            let fit = review.largeEndFit
            let values = fit.fittedAxisValues
            let range = values.count >= 2 ? "\(values.first!)…\(values.last!)" : values.map(String.init).joined()
            let halfWidth = fit.interval95.map { format($0.halfWidth) } ?? "∞"
            let fading = "δ = \(signed(deviation)) over every axis value, but \(signed(review.largeEndDeviation)) "
                + "± \(halfWidth) over \(range) (slope \(signed(fit.slope ?? 0))): "
            return "`\(verdict.op)` (\(verdict.statistic.rawValue), t = 0) " + fading
                + (review.outcome == .explained
                   ? "a finite-width bias that fades as width grows (the curves converge to the right), not a parametrization error"
                   : "the deviation fades toward large widths, but that end is too noisy to call ok: add widths at the top or seeds")
        case let .finiteWidthInherited(deviation, own, source):
            return "`\(verdict.op)` (\(verdict.statistic.rawValue), t = \(verdict.t)) δ = \(signed(deviation)), "
                + "own δ = \(signed(own)) given its inputs' measured slopes: it carries the finite-width bias of `\(source.op)` ("
                + message(for: source) + ")"
        case let .softmaxConcentration(deviation, softmax, review):
            return "`\(verdict.op)` (\(verdict.statistic.rawValue), t = 0) δ = \(signed(deviation)), but "
                + corrected(review) + " once divided by the concentration sqrt(Σp²) of `\(softmax)` at each width: "
                + (review.tight
                   ? "attention flattens as the head dimension grows (logit variance ∝ 1/d_head), a finite-width bias, not a parametrization error"
                   : "attention flattens as the head dimension grows, but the corrected slope is too noisy to call ok: add seeds or widths at the top")
        case let .initBiasCarried(deviation, sources, review, then):
            let carried = sources.map { source in
                let origin = source.op == verdict.op ? "its own" : "`\(source.op)`'s"
                return "\(origin) init deviation \(signed(source.initDeviation)) (\(source.statistic.rawValue), t = 0"
                    + (source.direction == .backward ? ", through the gradient)" : ")")
            }.joined(separator: " and ")
            let range = review.droppedAxisValues.isEmpty ? ""
                : " over axis values \(review.fit.fittedAxisValues.first ?? 0)…\(review.fit.fittedAxisValues.last ?? 0)"
            let head = sources.isEmpty ? "fades toward large widths (a finite-width effect of training):"
                : "carries " + carried + ", a finite-width bias: without it"
            let verdictText = if let floor = review.regimeFloor {
                "but widths below \(floor) are too narrow for its depth (the policy's minimum width per weight layer) to "
                    + "tell a finite-width effect of training from an exponent, and too few are left to confirm it: add widths at the top"
            } else {
                review.tight ? "within theory" : "too noisy to call ok: add seeds or widths at the top"
            }
            return "`\(verdict.op)` (\(verdict.statistic.rawValue), t = \(verdict.t)) δ = \(signed(deviation)) " + head
                + range + " " + corrected(review) + ", " + verdictText
                + " (uncorrected: " + render(then, of: verdict) + ")"
        case let .inherited(culprit, deviation, own):
            return "inherits the deviation of `\(culprit)` (δ = \(signed(deviation)), "
                + "own δ = \(signed(own)) given its inputs' measured slopes): fix `\(culprit)` first"
        case let .blamed(own, declaredA, againstMuPTarget, hint):
            let direction = own > 0 ? "below" : "above"
            let declared = Theory.format(declaredA)
            let cause = switch hint {
            case .attentionScaling: ", or fix the 1/√d scaling"
            case .readoutMultiplier: ", or restore the readout multiplier"
            case nil: ""
            }
            return "effective a of `\(verdict.op)` is \(Theory.format(abs(own))) \(direction) its "
                + "\(againstMuPTarget ? "µP target" : "declared") \(declared): "
                + "multiply its output by width^\(Theory.format(-own)) (set a = \(declared) in code\(cause))"
        case let .downstreamOfInitCulprit(culprit, deltaA, then):
            return "downstream of `\(culprit)`, whose init slope is already off (Δa = \(signed(deltaA))): "
                + "fix `\(culprit)` first (" + render(then, of: verdict) + ")"
        case let .upstreamOfInitCulprit(culprit, deltaA, then):
            return "upstream of `\(culprit)` in the backward pass, whose init slope is already off (Δa = \(signed(deltaA))): "
                + "with SGD its wrong multiplier scales every gradient flowing back, so this op's updates deviate too: "
                + "fix `\(culprit)` first (" + render(then, of: verdict) + ")"
        case let .downstreamOfLearningRateCulprit(culprit, then):
            return "downstream of `\(culprit)`, whose change already grows with a correct init slope (its learning rate "
                + "does not shrink with width): fix `\(culprit)` first (" + render(then, of: verdict) + ")"
        case let .unstableDeclared(r, slope):
            return "the declared parametrization is unstable at `\(verdict.op)`: r = \(Theory.format(r)) < 0, "
                + "so its updates grow as width^\(Theory.format(-r)) (measured Δ slope \(signed(slope))); "
                + "raise its learning-rate exponent c (or a) by at least \(Theory.format(-r)) so that r ≥ 0"
        case let .learningRateTooLarge(slope, r, excess):
            return "`\(verdict.op)`'s change grows as width^\(signed(slope)) against −r = \(Theory.format(-r)) "
                + "with a correct init slope: its learning rate does not shrink with width: c looks \(Theory.format(excess)) too small "
                + "(or the alignment is larger than the LP assumed)"
        case let .initAlreadyOff(then):
            return render(then, of: verdict) + "; its init slope is already off (see t = 0): fix a first"
        case .zeroNotFittedOnDepth:
            return "\(name) is exactly zero at every depth: not fitted"
        case let .divergedUnfittableOnDepth(depths):
            return "\(name) diverged (NaN/Inf) at depths \(numbers(depths)); too few finite points to fit"
        case .tooFewDepths:
            return "\(name): fewer than two usable depths (zeros or missing rows), no slope"
        case let .noDepthRule(slope, residualBlocks):
            return "\(name) slope depth^\(signed(slope)): " + (residualBlocks
                ? "no depth rule for this op (unjudged)"
                : "no depth theory for this model: it has no residual blocks (block-level sums `<name>.<i>.add` of a "
                    + "residual stream), and depth-µP's theory covers residual networks only (unjudged)")
        case let .depthDeviates(direction, slope, deviation, fix, alpha):
            return "\(name) \(direction == .shrinks ? "shrinks" : "grows") as depth^\(signed(slope)), \(depthRuleText): "
                + "δ = \(signed(deviation))" + (fix.map { ": " + describe($0, alpha: alpha) } ?? "")
        case let .depthAgrees(slope, halfWidth):
            return "\(name) slope depth^\(signed(slope)) ± \(format(halfWidth)), \(depthRuleText)"
        case let .depthIntervalTooWide(slope, halfWidth, seeds, seedsNeeded):
            return "\(name) slope depth^\(signed(slope)) ± \(halfWidth.isFinite ? format(halfWidth) : "∞"), "
                + "\(depthRuleText): the interval is too wide to decide"
                + (seedsNeeded.map { "; about \($0) seeds (now \(seeds)) or more depths would decide it" }
                   ?? " (no interval: add seeds or depths)")
        case let .finiteDepthBias(smallest, slope, halfWidth, tight, then):
            return "finite-depth bias: without depth \(smallest) the slope is depth^\(signed(slope)) "
                + "± \(halfWidth.isFinite ? format(halfWidth) : "∞"), within tolerance of theory"
                + (tight ? "" : ", but too noisy to call ok (add depths at the top)") + " (" + render(then, of: verdict) + ")"
        case let .unstableAtSmallestDepth(step, run, then):
            return "training is unstable at the smallest depth by step \(step) (\(run)): a depth trend says nothing "
                + "about the parametrization; lower the learning rate (" + render(then, of: verdict) + ")"
        case let .inheritedFromBranch(branch, deviation, then):
            return "inherits the deviation of the residual branch `\(branch)` (δ = \(signed(deviation))): "
                + "fix `\(branch)` first (" + render(then, of: verdict) + ")"
        }
    }

    /// What theory allows, in words: `≤ u`, a point, or `in [l, u]`.
    static func describe(_ expectation: ExpectedSlope) -> String {
        if expectation.isUpperBoundOnly { return "≤ \(Theory.format(expectation.upper))" }
        if expectation.isPoint { return Theory.format(expectation.upper) }
        return "in [\(Theory.format(expectation.lower)), \(Theory.format(expectation.upper))]"
    }

    /// What depth theory allows, in depth units: `≤ depth^u`, `depth^e`, or `depth^[l, u]`.
    static func describeInDepth(_ expectation: ExpectedSlope) -> String {
        if expectation.isUpperBoundOnly { return "≤ depth^\(Theory.format(expectation.upper))" }
        if expectation.isPoint { return "depth^\(Theory.format(expectation.upper))" }
        return "depth^[\(Theory.format(expectation.lower)), \(Theory.format(expectation.upper))]"
    }

    /// A depth-unit fix in words, with its depth exponent spelled out (`alpha`: the declared branch exponent α).
    static func describe(_ fix: DepthFix, alpha: Double) -> String {
        let exponent = Theory.format(fix.exponent)
        switch fix.target {
        case .branchMultiplier:
            let effective = alpha - (fix.deltaAlpha ?? 0)
            return "the residual branches behave as α = \(Theory.format(effective)) instead of the declared α = "
                + "\(Theory.format(alpha)): multiply the branch output by depth^\(exponent) (branch multiplier "
                + "depth^\(Theory.format(-alpha)))"
        case .hiddenLearningRate:
            return "the hidden weights move too \(fix.exponent < 0 ? "much" : "little") with depth: multiply the hidden "
                + "learning rates by depth^\(exponent) (depth-µP: hidden lr ∝ depth^\(Theory.format(alpha - 1)) "
                + "with Adam for α = \(Theory.format(alpha)), and so are the blocks' norm gains and biases)"
        case .output:
            return "multiply its output by depth^\(exponent)"
        }
    }

    /// `δ = +0.020 ± 0.031` of a corrected fit.
    private static func corrected(_ review: CorrectedFitReview) -> String {
        "δ = \(Diagnosis.signed(review.deviation)) ± " + (review.fit.interval95.map { Diagnosis.format($0.halfWidth) } ?? "∞")
    }

    private static func numbers(_ values: [Int]) -> String { values.map(String.init).joined(separator: ", ") }
    private static func list(_ ops: [String]) -> String { ops.map { "`\($0)`" }.joined(separator: ", ") }
    private static func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
}
