/// A module that adds residual branches to its input (`x + F(norm(x))`, as a pre-norm ``TransformerBlock``).
///
/// Depth-µP (``DepthScaling``) treats every parameter inside such a module as part of a residual block: besides the
/// parametrized projections, the block's norm gains and biases take CompleteP's depth-scaled learning rate
/// `η · (L/L₀)^(α−1)` (Adam) and Adam's ε `ε · m_N^-1 · (L/L₀)^-α`. Parameters outside every residual block (the
/// final norm, embeddings, the readout) do not.
public protocol ResidualBlock: Module {}

extension TransformerBlock: ResidualBlock {}
