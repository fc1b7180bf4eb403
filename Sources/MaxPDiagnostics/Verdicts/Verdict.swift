/// The verdict on one (op, t, statistic), exactly the strings of the `slopes.json` contract.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    /// Measured slope agrees with theory within tolerance, and the interval is tight enough to say so.
    case ok
    /// The op grows with width faster than theory allows (beyond tolerance, interval entirely above).
    case grows
    /// The op shrinks with width faster than theory allows (beyond tolerance, interval entirely below).
    case shrinks
    /// The data cannot decide: interval too wide, losses jumped at this step, or a divergence not tied to width.
    case inconclusive
    /// Exact zeros at every axis value (e.g. a zero-initialized readout at t = 0): reported, not fitted.
    case zero
    /// No rule judges this op (no role, no kind theory knows, or inputs it needs are missing): reported with its
    /// slope, never counted as agreeing with theory.
    case unjudged

    /// Whether the verdict flags a deviation from theory.
    public var isDeviation: Bool { self == .grows || self == .shrinks }
}

/// Thresholds behind the verdicts. Defaults: tolerance 0.1 at init (theory is exact there) and 0.2 after training
/// (finite-width crossovers bend the fit); the 95 % interval may be at most twice the tolerance wide on each side
/// before a verdict is `inconclusive`; a loss rising by more than 50 % from one step to the next (or turning
/// non-finite) marks that step as jumping.
public struct VerdictPolicy: Codable, Sendable, Equatable {
    /// Tolerance on |measured − expected| at t = 0.
    public var initTolerance: Double
    /// Tolerance on |measured − expected| at t ≥ 1.
    public var trainedTolerance: Double
    /// Largest acceptable half-width of the 95 % interval at t = 0 for an `ok`.
    public var maxIntervalHalfWidthAtInit: Double
    /// Largest acceptable half-width of the 95 % interval at t ≥ 1 for an `ok`.
    public var maxIntervalHalfWidthTrained: Double
    /// A step t "jumps" when some run's `loss[t] > lossJumpRatio · loss[t−1]` (or the loss turns non-finite):
    /// deviations at that step become `inconclusive`.
    public var lossJumpRatio: Double
    /// With fewer seeds than this, the interval across seeds is itself unreliable (two agreeing seeds can be luck):
    /// a `grows`/`shrinks` then needs a deviation beyond ``fewSeedsToleranceFactor`` × the tolerance, else the
    /// verdict is `inconclusive` with advice to add seeds.
    public var minimumSeedsForDeviation: Int = 3
    /// The tolerance multiplier applied below ``minimumSeedsForDeviation`` seeds.
    public var fewSeedsToleranceFactor: Double = 2
    /// A run trains unstably once its loss climbs back above `unstableRiseRatio` × the best loss it had reached
    /// (a coord check trains on one fixed batch, so a rise is an overshoot); at the smallest axis value that makes
    /// after-training deviations `inconclusive` (see ``TrainingStability``).
    public var unstableRiseRatio: Double = 1.2
    /// Autofix's verification re-run aims at intervals this fraction of the largest half-width an `ok` allows
    /// (the headroom absorbs the seed-to-seed variation of the interval itself).
    public var verificationHalfWidthFraction: Double = 0.8
    /// The most seeds autofix's verification re-run may use (its cost grows linearly with the seeds).
    public var maxVerificationSeeds: Int = 16
    /// The smallest init deviation (in slope units) that ``CarriedInitBias`` treats as a finite-width bias carried
    /// through training: half the init tolerance. A smaller init deviation is indistinguishable from zero at the
    /// resolution the init verdicts work at, so carrying it would only move borderline verdicts after training.
    public var minimumCarriedInitDeviation: Double = 0.05
    /// After training, a width `n` is inside the regime the finite-width reviews extrapolate from only when
    /// `n ≥ minimumWidthPerLayer · ℓ` for an op `ℓ` weight layers deep (depth-to-width ratio `ℓ/n ≤ 1/16`): a deep
    /// ReLU network's finite-width corrections are of order `ℓ/n` (Hanin & Nica), and a depth-6 µP MLP trained
    /// with Adam deviates after training over the doublings below `16ℓ` only (see ``CarriedInitBias``).
    public var minimumWidthPerLayer: Int = 16

    /// Creates a policy (defaults as documented on the type).
    public init(initTolerance: Double = 0.1, trainedTolerance: Double = 0.2, maxIntervalHalfWidthAtInit: Double = 0.2,
                maxIntervalHalfWidthTrained: Double = 0.4, lossJumpRatio: Double = 1.5) {
        self.initTolerance = initTolerance
        self.trainedTolerance = trainedTolerance
        self.maxIntervalHalfWidthAtInit = maxIntervalHalfWidthAtInit
        self.maxIntervalHalfWidthTrained = maxIntervalHalfWidthTrained
        self.lossJumpRatio = lossJumpRatio
    }

    /// The default policy.
    public static let standard = VerdictPolicy()

    /// The most extra width doublings an `inconclusive` verdict's advice considers (beyond that it advises seeds only).
    public static let maxWidthDoublingsAdvised = 12

    /// The tolerance at step `t`.
    public func tolerance(at t: Int) -> Double { t == 0 ? initTolerance : trainedTolerance }
    /// How many seeds autofix's verification re-run needs for an op whose 95 % interval at step `t` has half-width
    /// `halfWidth` with `now` seeds: the interval shrinks as 1/√seeds, so `now · (halfWidth / target)²` (rounded up)
    /// with target ``verificationHalfWidthFraction`` × ``maxIntervalHalfWidth(at:)``; never fewer than `now`, never
    /// more than ``maxVerificationSeeds`` (unless `now` already is).
    public func verificationSeeds(now: Int, halfWidth: Double, at t: Int) -> Int {
        let target = verificationHalfWidthFraction * maxIntervalHalfWidth(at: t)
        guard halfWidth.isFinite, target > 0, halfWidth > target else { return now }
        let factor = halfWidth / target
        let needed = Int((Double(max(now, 1)) * factor * factor).rounded(.up))
        return max(now, min(needed, maxVerificationSeeds))
    }

    /// The largest acceptable interval half-width at step `t`.
    public func maxIntervalHalfWidth(at t: Int) -> Double {
        t == 0 ? maxIntervalHalfWidthAtInit : maxIntervalHalfWidthTrained
    }
}
