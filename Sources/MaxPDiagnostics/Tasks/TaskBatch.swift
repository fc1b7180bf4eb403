import MaxP

/// One batch of training data for a built-in model: feature rows with class labels (MLP), or token sequences with
/// next-token targets (GPT). Value type; the coord check trains and measures on one fixed batch.
public enum TaskBatch: Sendable, Equatable {
    /// Features `[rows, inputDimension]` and one class label per row.
    case features(Tensor<Float>, labels: [Int])
    /// Token ids laid out `[batch, sequenceLength]` row-major, and the next token of each position.
    case tokens([Int], targets: [Int], batch: Int, sequenceLength: Int)

    /// Number of examples (rows or sequences).
    public var count: Int {
        switch self {
        case let .features(x, _): x.shape.first ?? 0
        case let .tokens(_, _, batch, _): batch
        }
    }
}
