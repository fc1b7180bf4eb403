/// The usual markings of the built-in models, so a parametrization can be applied in one line.
extension MLP {
    /// Marks `fc_1` as the embedding (width = its fan-out), the other hidden layers as hidden (width = fan-in) and
    /// `readout` as the readout (width = fan-in).
    public func markStandardRoles() {
        for (index, layer) in hiddenLayers.enumerated() {
            layer.role = index == 0 ? LayerRole.embedding.rawValue : LayerRole.hidden.rawValue
        }
        readout.role = LayerRole.readout.rawValue
    }
}

extension GPTModel {
    /// Marks token and position embeddings as embeddings, every projection (`q`, `k`, `v`, `o`, `fc_in`, `fc_out`) as
    /// hidden (`o` and `fc_out`, which end the two residual branches of a block, also as residual branch outputs
    /// for depth-µP, ``DepthScaling``), the attention logits `q·kᵀ` as a parameter-free readout of width `d_head` with output multiplier
    /// exponent `logitsA` (1 for µP's `1/d_head`; SP's `1/√d_head` at the base width), and `readout` as the readout.
    public func markStandardRoles(logitsA: Double = 1) {
        tokenEmbedding.role = LayerRole.embedding.rawValue
        positionEmbedding.role = LayerRole.embedding.rawValue
        for block in blocks {
            for layer in [block.attn.q, block.attn.k, block.attn.v, block.attn.o, block.mlp.fcIn, block.mlp.fcOut] {
                layer.role = LayerRole.hidden.rawValue
            }
            for branchOutput in [block.attn.o, block.mlp.fcOut] { branchOutput.marking?.isResidualBranchOutput = true }
            block.attn.logits.marking = OpMarking(role: .readout, width: block.attn.headDimension, a: logitsA,
                                                   standard: ABExponents(a: 0.5, b: 0))
        }
        readout.role = LayerRole.readout.rawValue
    }
}
