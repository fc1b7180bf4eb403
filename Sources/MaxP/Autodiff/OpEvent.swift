/// What an observer of a ``Tape`` sees for every op call: where it was called, what it computed and what it
/// produced. Diagnostics record activation sizes from these; alignment capture takes the inputs of parametrized ops.
public struct OpEvent<Scalar: TensorScalar> {
    /// A stable, unique name for this call site, e.g. `blocks.0.attn.q`, `blocks.0.add`, `blocks.0.add#1`.
    /// An op called twice in the same scope gets two names, so it is recorded twice.
    public let site: String
    /// The kind of computation.
    public let kind: OpKind
    /// For parametrized ops, the role given by the layer (`embedding`, `hidden`, `readout`, …); otherwise `nil`.
    public let role: String?
    /// The op's output.
    public let value: Tensor<Scalar>
    /// The tape node of the output.
    public let node: Int
    /// The tape nodes of the op's inputs (for a parametrized op: the inputs of the whole op, not of its last step).
    public let inputNodes: [Int]
    /// Whether the op ran inside the body of a parametrized op (an implementation detail of that op).
    public let isInsideParametrizedOp: Bool
}
