/// The judged slope of one (op, t, statistic): the fit, what theory expected, the deviation, the verdict, the fix.
public struct OpVerdict: Codable, Sendable, Equatable {
    /// The op call site.
    public var op: String
    /// Its kind or role.
    public var kind: String
    /// The step.
    public var t: Int
    /// The statistic judged.
    public var statistic: CoordStatistic
    /// The slope fit.
    public var fit: SlopeFit
    /// What theory allows (`nil`: no rule for this kind).
    public var expectation: ExpectedSlope?
    /// The expected value reported: the allowed slope nearest to the measured one (`nil` without a rule).
    public var expected: Double?
    /// δ = measured − expected.
    public var deviation: Double?
    /// The 95 % interval of δ (the slope interval shifted by −expected).
    public var deviationInterval: ClosedInterval?
    /// The part of δ not explained by the measured slopes of the op's inputs (its own deviation).
    public var ownDeviation: Double?
    /// The verdict (contract string).
    public var verdict: Verdict
    /// At t = 0, for the parametrized op to blame: change its `a` by this much (`> 0`: multiply the output by
    /// `width^-Δa`). `nil` otherwise.
    public var suggestedDeltaA: Double?
    /// When the deviation is inherited from an upstream op, that op's call site (the one to fix).
    public var inheritedFrom: String?
    /// What decided the verdict, with the numbers it used (the words come from ``VerdictProse``).
    public var explanation: VerdictExplanation
    /// For `inconclusive` from a wide interval: about how many seeds in total would decide it.
    public var seedsNeeded: Int?
    /// For `inconclusive` from a wide interval: about how many more width doublings (at the top) would decide it.
    public var widthDoublingsNeeded: Int?
    /// Whether some run's loss jumped at this step.
    public var lossJumped: Bool
    /// At t = 0, the large-width-end review of a deviation (see ``FiniteWidthCorrection``), when one was made.
    public var finiteWidth: FiniteWidthReview? = nil
    /// On a depth axis, the suggested fix in depth units (``DepthDiagnosis``); `nil` otherwise.
    public var depthFix: DepthFix? = nil

    /// Why the verdict is what it is when a rule beyond the plain slope-versus-theory comparison decided it (the
    /// `slopes.json` `reason`, from ``explanation``).
    public var reason: VerdictReason? { explanation.reason }
    /// Why the verdict is what it is, and what to do, in plain words (rendered by ``VerdictProse``).
    public var message: String { VerdictProse.message(for: self) }
}
