import Foundation

/// Depth-µP (CompleteP, Dey et al. 2025, arXiv 2505.01618; Depth-µP, Yang et al. 2023, Tensor Programs VI): how
/// a residual network's branches and learning rates scale with its depth `L`, relative to a base depth `L₀` where
/// the model is exactly the plain (un-depth-scaled) one.
///
/// With the depth ratio `m_L = L / L₀`:
///
/// - every residual branch output is multiplied by `m_L^-α` (`x + m_L^-α · F(x)`; ops marked
///   ``OpMarking/isResidualBranchOutput``);
/// - every hidden weight's learning rate (role `hidden`: the projections inside the residual blocks) is multiplied
///   by `m_L^(α−1)` with Adam (CompleteP's Table 1, the `completep` branch of nanoGPT-mup:
///   `depth_multiplier^(depth_alpha_exp − 1)`), and by `m_L^(2α−1)` with SGD (Depth-µP's SGD rule: the gradient
///   carries one `m_L^-α`, the forward pass another, and each block must move the stream by `Θ(1/L)`);
/// - every other parameter inside a residual block (``ResidualBlock``: the blocks' LayerNorm gains and biases, CompleteP's
///   "LN" and "bias" rows) has its learning rate multiplied by the same `m_L^e` — `m_L^(α−1)` with Adam, `m_L^(2α−1)`
///   with SGD — and no width factor (µP's vector-like parameters keep `η` under Adam);
/// - with Adam, ε of every parameter inside a residual block (hidden weights, their biases, the blocks' norms) is
///   `ε · m_N^-1 · m_L^-α` (CompleteP's "AdamW ε (residual blocks)"; `m_N = n / n₀` the op's width ratio, with no
///   base width `n` itself — base width 1, as the learning rates' `width^-c`): the branch multiplier scales those
///   gradients by `m_L^-α` and the readout by `m_N^-1`, so ε shrinks with them. SGD has no ε; Adafactor's ε₁
///   regularizes the squared gradient and is left alone;
/// - embeddings, the readout and parameters outside the blocks (the final norm) keep their rates and ε (the paper's
///   Table 1; nanoGPT-mup's `completep` branch scales one global ε instead, Complete(d)P scales the embeddings' ε by
///   `m_N^-1`).
///
/// So with α = 1 (CompleteP) the Adam hidden learning rate is `m_L^0` (unchanged) and branches are damped by
/// `m_L^-1`; with α = ½ (Depth-µP) it is `m_L^-½` and branches `m_L^-½`; with α = 0 nothing changes with depth (the
/// plain model, whose residual stream grows like `L^½` at initialization). At `L = L₀` every depth factor is exactly
/// 1, and at the base width too (`m_N = 1`) the model trains bit for bit as the plain one.
///
/// ``rules(optimizer:)`` lists the rows as values (``DepthParameterRule``), for reports.
public struct DepthScaling: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The branch exponent α: residual branches are multiplied by `(depth / baseDepth)^-α`; 0 ≤ α ≤ 1.
    public var alpha: Double
    /// The model's depth `L` (residual blocks).
    public var depth: Int
    /// The base depth `L₀` where depth-µP equals the plain model.
    public var baseDepth: Int

    /// The branch exponents the command line offers: 0 (plain), ½ (Depth-µP), 1 (CompleteP).
    public static let standardAlphas: [Double] = [0, 0.5, 1]

    /// Creates depth scaling for a model of `depth` blocks with base depth `baseDepth` (default 1: plain `depth^-α`).
    public init(alpha: Double, depth: Int, baseDepth: Int = 1) {
        self.alpha = alpha
        self.depth = depth
        self.baseDepth = baseDepth
    }

    /// `depth / baseDepth`, the depth ratio `m_L`.
    public var ratio: Double { Double(depth) / Double(baseDepth) }

    /// The residual branch multiplier `m_L^-α`.
    public var branchMultiplier: Double { Foundation.pow(ratio, -alpha) }

    /// The depth exponent `e` of a hidden weight's learning rate (`lr ∝ m_L^e`): `α − 1` for adaptive optimizers
    /// (Adam, Adafactor), `2α − 1` for SGD.
    public func hiddenLearningRateExponent(optimizer: OptimizerKind) -> Double {
        switch optimizer {
        case .sgd: 2 * alpha - 1
        case .adam, .adafactor: alpha - 1
        }
    }

    /// The factor `m_L^e` a hidden weight's learning rate is multiplied by (``hiddenLearningRateExponent(optimizer:)``).
    public func hiddenLearningRateFactor(optimizer: OptimizerKind) -> Double {
        Foundation.pow(ratio, hiddenLearningRateExponent(optimizer: optimizer))
    }

    /// The depth exponent of learning rates inside residual blocks other than the hidden weights' (norm gains and
    /// biases): the same `e` as ``hiddenLearningRateExponent(optimizer:)``, without a width factor.
    public func blockLearningRateExponent(optimizer: OptimizerKind) -> Double {
        hiddenLearningRateExponent(optimizer: optimizer)
    }

    /// The factor `m_L^e` a norm gain's or bias's learning rate inside a residual block is multiplied by.
    public func blockLearningRateFactor(optimizer: OptimizerKind) -> Double {
        hiddenLearningRateFactor(optimizer: optimizer)
    }

    /// The width exponent of Adam's ε inside residual blocks: ε × `m_N^-1`.
    public static let blockEpsilonWidthExponent: Double = -1

    /// The depth exponent of Adam's ε inside residual blocks: ε × `m_L^-α`.
    public var blockEpsilonDepthExponent: Double { -alpha }

    /// The factor Adam's ε is multiplied by for a parameter inside a residual block of width ratio `m_N`
    /// (`widthRatio`): `m_N^-1 · m_L^-α`; exactly 1 for every other optimizer (SGD has no ε, Adafactor's is not
    /// Adam's).
    public func blockEpsilonFactor(widthRatio: Double, optimizer: OptimizerKind) -> Double {
        guard optimizer == .adam else { return 1 }
        return Foundation.pow(widthRatio, Self.blockEpsilonWidthExponent) * Foundation.pow(ratio, blockEpsilonDepthExponent)
    }

    /// CompleteP's rows as applied with `optimizer`: which parameters get which learning-rate and ε factor.
    public func rules(optimizer: OptimizerKind) -> [DepthParameterRule] {
        let e = hiddenLearningRateExponent(optimizer: optimizer)
        let epsilon: Double? = optimizer == .adam ? -alpha : nil
        return [
            DepthParameterRule(parameters: .hiddenWeights, learningRateWidth: "m_N^-c", learningRateDepthExponent: e,
                               epsilonDepthExponent: epsilon, epsilonScalesWithWidth: epsilon != nil),
            DepthParameterRule(parameters: .blockNorms, learningRateWidth: nil, learningRateDepthExponent: e,
                               epsilonDepthExponent: epsilon, epsilonScalesWithWidth: epsilon != nil),
            DepthParameterRule(parameters: .outsideBlocks, learningRateWidth: "m_N^-c", learningRateDepthExponent: 0,
                               epsilonDepthExponent: nil, epsilonScalesWithWidth: false),
        ]
    }

    /// Why the values cannot be used (`nil` when they can): α must lie in [0, 1], depths be at least 1.
    public var problem: String? {
        guard alpha.isFinite, (0...1).contains(alpha) else { return "the branch exponent α must lie in [0, 1], got \(alpha)" }
        guard depth >= 1 else { return "the depth must be at least 1, got \(depth)" }
        guard baseDepth >= 1 else { return "the base depth must be at least 1, got \(baseDepth)" }
        return nil
    }

    /// `α a, depth L, base L₀`.
    public var description: String { "α \(alpha), depth \(depth), base depth \(baseDepth)" }
}
