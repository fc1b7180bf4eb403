extension DiagnosisPasses {
    /// The learning-rate advice pass: for a change that grows after training (not inherited), says whether the
    /// declared parametrization itself is unstable there (r < 0), whether the learning rate is the culprit (init
    /// slope `ok`: c looks too small), or that `a` must be fixed first (init slope off).
    mutating func adviseLearningRates() {
        for (key, verdict) in verdicts where key.t > 0 && key.statistic.measuresChange && verdict.verdict == .grows
            && verdict.inheritedFrom == nil {
            guard let exponents = theory.effectiveExponents(of: key.op), let deviation = verdict.deviation else { continue }
            let initVerdict = verdicts[Key(op: key.op, t: 0, statistic: .l1)] ?? verdicts[Key(op: key.op, t: 0, statistic: .rms)]
            var updated = verdict
            if exponents.r < 0 {
                updated.explanation = .unstableDeclared(r: exponents.r, slope: verdict.fit.slope ?? 0)
            } else if initVerdict?.verdict == .ok {
                updated.explanation = .learningRateTooLarge(slope: verdict.fit.slope ?? 0, r: exponents.r, excess: deviation)
            } else if initVerdict != nil {
                updated.explanation = .initAlreadyOff(then: verdict.explanation)
            }
            verdicts[key] = updated
        }
    }
}
