import Foundation

/// Whether the optimal learning rate transfers across width, decided by **equivalence** rather than by "no
/// significant drift": the drift exponent `d` of `lr* ∝ width^d` must be shown to lie inside the equivalence band
/// `±margin` (``LRTransferPolicy/equivalenceMargin``) before the learning rate is said to transfer.
///
/// - ``transfers``: the 95 % interval of `d` lies within `[−margin, +margin]`.
/// - ``shifts``: the interval lies entirely outside the band (it excludes every `|d| ≤ margin`).
/// - ``inconclusive(_:)``: anything else, with what would decide it.
public enum LRTransferVerdict: Sendable, Equatable {
    /// The optimum stays put: the drift's interval lies within `±margin`.
    case transfers
    /// The optimum moves with width: the drift's interval excludes the band `±margin`.
    case shifts
    /// The data cannot decide; the value says why and what would decide it.
    case inconclusive(LRTransferUndecided)

    /// `transfers`, `shifts` or `inconclusive` (the `outcome` field of `lr_transfer.json`).
    public var outcome: String {
        switch self {
        case .transfers: "transfers"
        case .shifts: "shifts"
        case .inconclusive: "inconclusive"
        }
    }
}

/// Why an LR-transfer verdict is ``LRTransferVerdict/inconclusive(_:)``.
public enum LRTransferUndecided: Sendable, Equatable {
    /// Some widths' best learning rate is the smallest (`belowGrid`) or largest (`aboveGrid`) of the grid: their true
    /// optimum lies beyond it, so it is not a point the drift can be fitted through. Extend the grid that way.
    case optimumAtGridEdge(belowGrid: [Int], aboveGrid: [Int])
    /// Fewer than two widths have an optimum inside the grid: no drift can be fitted.
    case tooFewOptima(found: Int)
    /// The drift's interval straddles the band's edge. `seedsNeeded` estimates how many seeds would narrow it
    /// enough to decide (`nil` when the drift lies so close to `±margin` that seeds alone will not settle it).
    case intervalTooWide(seedsNeeded: Int?)
}

/// The thresholds of the LR-transfer verdicts, named in one place.
public struct LRTransferPolicy: Sendable, Equatable {
    /// Half-width of the equivalence band for the drift exponent: `|d| ≤ 0.25` means the optimum moves by less than
    /// a factor `2^0.25 ≈ 1.19` per width doubling, which a half-octave lr grid cannot resolve anyway.
    public var equivalenceMargin: Double
    /// The most seeds advice may ask for; a drift that would need more is called undecidable by seeds.
    public var maximumSuggestedSeeds: Int
    /// "Wider is always better" with a single seed (no spread to test against): a wider model's final loss may
    /// exceed the narrower's by at most this fraction before it counts as worse.
    public var singleSeedRelativeTolerance: Double
    /// How many grid steps on either side of each width's best learning rate the "wider is always better" check
    /// looks at.
    public var widerIsBetterWindow: Int

    /// The defaults: margin 0.25, at most 32 seeds, 1 % single-seed tolerance, ±1 grid step.
    public static let standard = LRTransferPolicy(equivalenceMargin: 0.25, maximumSuggestedSeeds: 32,
                                                  singleSeedRelativeTolerance: 0.01, widerIsBetterWindow: 1)

    /// Creates a policy.
    public init(equivalenceMargin: Double, maximumSuggestedSeeds: Int, singleSeedRelativeTolerance: Double,
                widerIsBetterWindow: Int) {
        self.equivalenceMargin = equivalenceMargin
        self.maximumSuggestedSeeds = maximumSuggestedSeeds
        self.singleSeedRelativeTolerance = singleSeedRelativeTolerance
        self.widerIsBetterWindow = widerIsBetterWindow
    }

    /// Decides the verdict from the drift fitted through the widths whose optimum lies inside the grid.
    ///
    /// - Parameters:
    ///   - drift: the drift exponent (`nil` when fewer than two interior optima exist).
    ///   - interval: its 95 % interval (`nil` when none could be formed).
    ///   - interiorOptima: how many widths contributed an optimum inside the grid.
    ///   - belowGrid / aboveGrid: widths whose best learning rate is the grid's smallest / largest.
    ///   - seeds: the number of seeds behind `interval` (1 when it came from the OLS standard error).
    public func verdict(drift: Double?, interval: ClosedInterval?, interiorOptima: Int, belowGrid: [Int],
                        aboveGrid: [Int], seeds: Int) -> LRTransferVerdict {
        if !belowGrid.isEmpty || !aboveGrid.isEmpty {
            return .inconclusive(.optimumAtGridEdge(belowGrid: belowGrid, aboveGrid: aboveGrid))
        }
        guard let drift, interiorOptima >= 2 else { return .inconclusive(.tooFewOptima(found: interiorOptima)) }
        guard let interval else { return .inconclusive(.intervalTooWide(seedsNeeded: max(3, seeds + 1))) }
        if interval.lower >= -equivalenceMargin && interval.upper <= equivalenceMargin { return .transfers }
        if interval.upper < -equivalenceMargin || interval.lower > equivalenceMargin { return .shifts }
        return .inconclusive(.intervalTooWide(seedsNeeded: seedsNeeded(drift: drift, interval: interval, seeds: seeds)))
    }

    /// The fewest seeds whose 95 % interval, `t_{0.975, n−1} · s / √n` with the per-seed spread `s` recovered from
    /// the current interval, would be narrower than the distance between the drift and the band's edge; `nil` past
    /// ``maximumSuggestedSeeds``. With one seed (an interval from the OLS standard error, no per-seed spread) the
    /// advice is the 3 seeds that give a per-seed interval at all.
    func seedsNeeded(drift: Double, interval: ClosedInterval, seeds: Int) -> Int? {
        let half = (interval.upper - interval.lower) / 2
        let room = abs(abs(drift) - equivalenceMargin)
        guard half > 0, room > 0 else { return nil }
        guard seeds >= 2 else { return 3 <= maximumSuggestedSeeds ? 3 : nil }
        guard seeds < maximumSuggestedSeeds else { return nil }
        let spread = half * Double(seeds).squareRoot() / StudentT.criticalValue95(degreesOfFreedom: seeds - 1)
        return (seeds + 1...maximumSuggestedSeeds).first { count in
            StudentT.criticalValue95(degreesOfFreedom: count - 1) * spread / Double(count).squareRoot() < room
        }
    }
}

/// A breach of mup's second LR-transfer check, "wider is always better": at a learning rate near the optimum, the
/// wider model ended with a higher final loss than the narrower one (beyond seed noise).
public struct WiderIsBetterViolation: Codable, Sendable, Equatable {
    /// The learning rate.
    public var lr: Double
    /// The narrower width.
    public var width: Int
    /// The next wider width.
    public var widerWidth: Int
    /// Mean final loss of the narrower width.
    public var loss: Double
    /// Mean final loss of the wider width (higher than ``loss`` by more than the noise allowance).
    public var widerLoss: Double

    /// Creates a violation record.
    public init(lr: Double, width: Int, widerWidth: Int, loss: Double, widerLoss: Double) {
        self.lr = lr
        self.width = width
        self.widerWidth = widerWidth
        self.loss = loss
        self.widerLoss = widerLoss
    }

    enum CodingKeys: String, CodingKey {
        case lr, width, widerWidth = "wider_width", loss, widerLoss = "wider_loss"
    }
}

extension LRTransferVerdict: Codable {
    private enum CodingKeys: String, CodingKey {
        case outcome, reason, widthsBelowGrid = "widths_below_grid", widthsAboveGrid = "widths_above_grid",
             optimaFound = "optima_found", seedsNeeded = "seeds_needed"
    }

    /// `{"outcome": "transfers"|"shifts"|"inconclusive"}`, an inconclusive verdict with `reason`
    /// (`optimum_at_grid_edge`, `too_few_optima`, `interval_too_wide`) and that reason's fields.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outcome, forKey: .outcome)
        guard case let .inconclusive(reason) = self else { return }
        switch reason {
        case let .optimumAtGridEdge(below, above):
            try c.encode("optimum_at_grid_edge", forKey: .reason)
            try c.encode(below, forKey: .widthsBelowGrid)
            try c.encode(above, forKey: .widthsAboveGrid)
        case let .tooFewOptima(found):
            try c.encode("too_few_optima", forKey: .reason)
            try c.encode(found, forKey: .optimaFound)
        case let .intervalTooWide(seeds):
            try c.encode("interval_too_wide", forKey: .reason)
            try c.encodeExplicit(seeds, forKey: .seedsNeeded)
        }
    }

    /// Decodes what ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .outcome) {
        case "transfers": self = .transfers
        case "shifts": self = .shifts
        case "inconclusive":
            switch try c.decode(String.self, forKey: .reason) {
            case "optimum_at_grid_edge":
                self = .inconclusive(.optimumAtGridEdge(belowGrid: try c.decode([Int].self, forKey: .widthsBelowGrid),
                                                        aboveGrid: try c.decode([Int].self, forKey: .widthsAboveGrid)))
            case "too_few_optima": self = .inconclusive(.tooFewOptima(found: try c.decode(Int.self, forKey: .optimaFound)))
            case "interval_too_wide":
                self = .inconclusive(.intervalTooWide(seedsNeeded: try c.decodeIfPresent(Int.self, forKey: .seedsNeeded)))
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .reason, in: c, debugDescription: "unknown reason `\(other)`")
            }
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .outcome, in: c, debugDescription: "unknown outcome `\(other)`")
        }
    }
}
