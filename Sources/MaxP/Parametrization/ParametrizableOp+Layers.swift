/// `Linear` is parametrizable: its weight takes the exponents, its bias joins the weight's learning-rate group.
extension Linear: ParametrizableOp {
    /// The layer's path.
    public var opName: String { path }
    /// The weight.
    public var scaledWeight: Parameter<Scalar>? { weight }
    /// Weight and bias.
    public var groupParameters: [(name: String, parameter: Parameter<Scalar>)] { localParameters }
}

/// `Embedding` is parametrizable: its table takes the exponents (width = the embedding width).
extension Embedding: ParametrizableOp {
    /// The layer's path.
    public var opName: String { path }
    /// The embedding table.
    public var scaledWeight: Parameter<Scalar>? { weight }
    /// The embedding table.
    public var groupParameters: [(name: String, parameter: Parameter<Scalar>)] { localParameters }
}

/// Attention logits `q·kᵀ` are a parameter-free parametrizable op: only the multiplier is set.
extension AttentionLogits: ParametrizableOp {
    /// `<attention path>.qk`.
    public var opName: String { path }
    /// None: the op has no weight.
    public var scaledWeight: Parameter<Scalar>? { nil }
    /// None.
    public var groupParameters: [(name: String, parameter: Parameter<Scalar>)] { [] }
}
