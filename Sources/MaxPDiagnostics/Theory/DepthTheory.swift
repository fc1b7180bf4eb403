import Foundation

/// Expected coord-check slopes against **depth** `L` (slope = d log2(size) / d log2(L)) for a pre-norm residual
/// network under depth-µP with branch exponent α (``MaxP/DepthScaling``): `h_{i+1} = h_i + L^-α · F_i(norm(h_i))`.
///
/// Ops are matched across depths by relative position (``BlockPosition``): series `first.*`, `middle.*`, `last.*`
/// for the ops of blocks 0, `L/2` and `L − 1`; ops outside the blocks keep their names.
///
/// At initialization (`t = 0`):
/// - before the blocks (embeddings): 0;
/// - inside a block, the ops reading the normalized stream (q, k, v, `q·kᵀ`, softmax, `fc_in`, …): 0;
/// - a residual branch output (an input of the block's residual sum from inside the block: `attn.o`, `mlp.fc_out`,
///   which carry the multiplier `L^-α`): `−α`;
/// - the residual stream after block `i` sums the embedding and `i + 1` independent branch outputs of size `L^-α`:
///   its size is `sqrt(e² + (i+1) · b² · L^-2α)`, so the stream of the `middle` and `last` blocks grows like
///   `L^max(0, ½ − α)` (α = 0: `L^½`; α ≥ ½: flat) and the `first` block's stays flat. At finite depth the
///   embedding's share `e²` pulls the fit toward 0, so the expectation used is the slope of that sum with the
///   **measured** embedding and branch sizes (``predictedStreamSamples(in:)``; the asymptote when they are missing);
/// - after the blocks, behind a final norm (`norm_f`, the readout): 0; without one, the `last` stream's slope.
///
/// After training (`t ≥ 1`), with the hidden learning rate scaled as `L^e` (``learningRateExponent``: CompleteP's
/// `α − 1` with Adam, `2α − 1` with SGD under depth-µP; 0 for the plain model), the change since init is at most:
/// ops before the blocks and after a final norm 0; inside a block `max(0, e)` (its own update is `∝ L^e`, its input's
/// change is bounded); a branch output `−α + max(0, e)`; the stream of the `first` block 0, of the `middle` and
/// `last` blocks `max(0, ½ − α)` — it may move as much as its own size, no more (a plain model, whose `L` blocks
/// all update by `Θ(1)` in the same direction, moves like `L^1` and is flagged). The total size lies between the
/// init slope and that bound.
public struct DepthTheory: Sendable {
    /// What an op is to the depth theory.
    public enum Place: Equatable, Sendable {
        /// Outside and before the residual blocks (embeddings and their sum).
        case beforeBlocks
        /// A residual sum at block level: the stream after (part of) the block at `position`.
        case stream(BlockPosition)
        /// A residual branch output of the block at `position` (carries `L^-α`).
        case branchOutput(BlockPosition)
        /// Any other op of the block at `position` (reads the normalized stream).
        case insideBlock(BlockPosition)
        /// After the blocks, behind a normalization.
        case afterNormalization
        /// After the blocks with no normalization in between: follows the last stream.
        case afterStream
    }

    /// Why the MLP cannot take depth-µP (said by validation and by the depth check).
    public static let noResidualStreamInMLP = "the mlp model has no residual stream (each hidden layer feeds the next "
        + "directly), so depth-µP's residual branch multiplier depth^-α has nothing to scale; use the gpt model, "
        + "whose blocks are residual"

    /// The op graph of the deepest network (topological order), raw names (`blocks.7.attn.o`).
    public let ops: [OpDescriptor]
    /// The branch exponent α (0 for a plain model).
    public let alpha: Double
    /// The depth exponent `e` of the hidden learning rates (`lr ∝ L^e`).
    public let learningRateExponent: Double
    private let places: [String: Place]

    /// Creates the theory for the raw graph of the deepest network. `alpha` is depth-µP's branch exponent (`nil`:
    /// a plain model, α = 0 and no learning-rate scaling); `optimizer` decides CompleteP's learning-rate exponent
    /// (`sgd`: `2α − 1`, anything else: `α − 1`).
    public init(ops: [OpDescriptor], alpha: Double?, optimizer: String?) {
        self.ops = ops
        self.alpha = alpha ?? 0
        if let alpha {
            learningRateExponent = optimizer?.lowercased() == "sgd" ? 2 * alpha - 1 : alpha - 1
        } else {
            learningRateExponent = 0
        }
        // Local roles from the blocks of the graph (the same local name plays the same role in every block).
        var streamLocals = Set<String>(), branchLocals = Set<String>()
        let descriptors = Dictionary(ops.map { ($0.op, $0) }, uniquingKeysWith: { first, _ in first })
        for descriptor in ops {
            guard let site = BlockSite(op: descriptor.op) else { continue }
            guard site.isAtBlockLevel, descriptor.rule == .residualSum else { continue }
            streamLocals.insert(site.local)
            for input in descriptor.inputs {
                guard let inner = BlockSite(op: input), inner.container == site.container, inner.index == site.index,
                      descriptors[input] != nil else { continue }
                if !(inner.isAtBlockLevel && descriptors[input]?.rule == .residualSum) { branchLocals.insert(inner.local) }
            }
        }
        var places: [String: Place] = [:]
        var seenBlock = false, seenNormalization = false
        for descriptor in ops {
            if let site = BlockSite(op: descriptor.op), !streamLocals.isEmpty {
                seenBlock = true
                for position in BlockPosition.allCases {
                    let name = site.seriesName(at: position)
                    if streamLocals.contains(site.local) {
                        places[name] = .stream(position)
                    } else if branchLocals.contains(site.local) {
                        places[name] = .branchOutput(position)
                    } else {
                        places[name] = .insideBlock(position)
                    }
                }
                continue
            }
            if !seenBlock {
                places[descriptor.op] = .beforeBlocks
            } else {
                if descriptor.rule == .normalization { seenNormalization = true }
                places[descriptor.op] = seenNormalization ? .afterNormalization : .afterStream
            }
        }
        self.places = places
    }

    /// Whether the graph has residual blocks (block-level residual sums); without them there is no depth theory.
    public var hasResidualBlocks: Bool { places.values.contains { if case .stream = $0 { true } else { false } } }

    /// The place of a series (`last.add#1`) or of an op outside the blocks (`readout`); `nil` for an unknown name.
    public func place(of series: String) -> Place? { places[series] }

    /// The asymptotic init slope of the stream at `position`: 0 for `first`, `max(0, ½ − α)` otherwise.
    public func streamInitSlope(_ position: BlockPosition) -> Double {
        position == .first ? 0 : max(0, 0.5 - alpha)
    }

    /// What the depth theory expects for `statistic` of `series` at step `t` (`nil`: unknown series or no residual
    /// blocks). `streamSlope`, when given, replaces the stream's asymptotic init slope (the finite-depth prediction).
    public func expectedSlope(of series: String, t: Int, statistic: CoordStatistic,
                              streamSlope: Double? = nil) -> ExpectedSlope? {
        guard hasResidualBlocks, let place = places[series] else { return nil }
        if t == 0 && statistic.measuresChange { return .exactZero(rule: "no change at initialization") }
        let a = Theory.format(alpha)
        let initial: ExpectedSlope
        let change: ExpectedSlope
        let lrPart = max(0, learningRateExponent)
        switch place {
        case .beforeBlocks:
            initial = .point(0, rule: "before the residual blocks: depth^0")
            change = .atMost(0, rule: "before the residual blocks: a change of at most depth^0")
        case .insideBlock:
            initial = .point(0, rule: "reads the normalized residual stream: depth^0")
            change = .atMost(lrPart, rule: "inside a block: its update ∝ hidden lr depth^\(Theory.format(learningRateExponent)), at most depth^\(Theory.format(lrPart))")
        case .branchOutput:
            initial = .point(-alpha, rule: "residual branch output × depth^-α: depth^\(Theory.format(-alpha)) (α = \(a))")
            change = .atMost(-alpha + lrPart, rule: "residual branch output: change at most depth^(-α + max(0, e)) = depth^\(Theory.format(-alpha + lrPart))")
        case .stream(let position):
            let asymptote = streamInitSlope(position)
            if let streamSlope, position != .first {
                initial = .point(streamSlope, rule: "residual stream sqrt(embedding² + Σ branch outputs²) at these depths: "
                    + "depth^\(Theory.format(streamSlope)) (asymptotically depth^max(0, ½ − α) = depth^\(Theory.format(asymptote)), α = \(a))")
            } else if let streamSlope {
                initial = .point(streamSlope, rule: "residual stream after the first block: depth^\(Theory.format(streamSlope)) at these depths (asymptotically depth^0)")
            } else {
                initial = .point(asymptote, rule: position == .first ? "residual stream after the first block: depth^0"
                    : "residual stream after \(position.rawValue == "last" ? "all" : "half the") blocks: depth^max(0, ½ − α) = depth^\(Theory.format(asymptote)) (α = \(a))")
            }
            change = .atMost(asymptote, rule: "residual stream: its change may grow like the stream itself, at most depth^\(Theory.format(asymptote))")
        case .afterNormalization:
            initial = .point(0, rule: "behind the final norm: depth^0")
            change = .atMost(0, rule: "behind the final norm: a change of at most depth^0")
        case .afterStream:
            let asymptote = streamInitSlope(.last)
            initial = .point(streamSlope ?? asymptote, rule: "follows the last residual stream: depth^\(Theory.format(streamSlope ?? asymptote))")
            change = .atMost(asymptote, rule: "follows the last residual stream: a change of at most depth^\(Theory.format(asymptote))")
        }
        if statistic.measuresChange { return change }
        if t == 0 { return initial }
        return .between(initial.lower, change.upper,
                        rule: "between the init slope depth^\(Theory.format(initial.lower)) and the change's bound depth^\(Theory.format(change.upper))")
    }
}
