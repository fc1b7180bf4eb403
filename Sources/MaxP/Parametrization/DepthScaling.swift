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
/// - embeddings, the readout and parameters outside the parametrized ops keep their rates.
///
/// So with α = 1 (CompleteP) the Adam hidden learning rate is `m_L^0` (unchanged) and branches are damped by
/// `m_L^-1`; with α = ½ (Depth-µP) it is `m_L^-½` and branches `m_L^-½`; with α = 0 nothing changes with depth (the
/// plain model, whose residual stream grows like `L^½` at initialization). At `L = L₀` every factor is exactly 1.
///
/// Not applied: CompleteP's Adam ε (`ε · m_N^-1 · m_L^-α`) and its LayerNorm-gain rates (`m_L^(α−1)`), which live in
/// the optimizer's and the `_other` group's single values.
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
