/// Errors raised when a computation produced values that cannot be trusted (NaN or infinity).
public enum NumericError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The output of `op` (a call-site name such as `crossEntropy`) of the given shape holds `nanCount` NaNs and
    /// `infinityCount` infinities; `context` is what the caller was doing (e.g. `loss at step 12`).
    case nonFinite(op: String, shape: [Int], context: String, nanCount: Int, infinityCount: Int)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .nonFinite(op, shape, context, nanCount, infinityCount):
            let what = nanCount > 0 ? "NaN" : "infinite"
            let prefix = context.isEmpty ? "" : "\(context): "
            return "\(prefix)\(op) output of shape \(shape) is \(what) (\(nanCount) NaN, \(infinityCount) infinite "
                + "values); training diverged — lower the learning rate, check the initialization scale, or check "
                + "the inputs for NaN/Inf"
        }
    }
}
