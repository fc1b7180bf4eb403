/// Clips the global gradient norm before every step of another optimizer, as `torch.nn.utils.clip_grad_norm_`
/// followed by `optimizer.step()`: with `N = √(Σ g²)` over every parameter of every group, gradients are scaled by
/// `maxNorm / (N + 10⁻⁶)` when that is below 1, so the norm the wrapped optimizer sees is at most `maxNorm`.
public final class GradientNormClipping<Scalar: TensorScalar>: Optimizer {
    /// The optimizer that takes the step.
    public let base: any Optimizer<Scalar>
    /// The largest gradient norm passed on.
    public let maxNorm: Double
    /// The global norm before clipping at the last step (`nil` before the first).
    public private(set) var lastNorm: Double?

    /// Wraps `base`; `maxNorm` must be positive.
    public init(_ base: any Optimizer<Scalar>, maxNorm: Double) {
        precondition(maxNorm > 0 && maxNorm.isFinite, "GradientNormClipping: maxNorm must be positive")
        self.base = base
        self.maxNorm = maxNorm
    }

    /// The wrapped optimizer's groups.
    public var groups: [ParameterGroup<Scalar>] {
        get { base.groups }
        set { base.groups = newValue }
    }

    public func step() {
        lastNorm = Self.clip(groups, maxNorm: maxNorm)
        base.step()
    }

    /// Scales every gradient of `groups` so the global norm is at most `maxNorm`; returns the norm before.
    @discardableResult
    public static func clip(_ groups: [ParameterGroup<Scalar>], maxNorm: Double) -> Double {
        var sum = 0.0
        for group in groups {
            for (_, parameter) in group.parameters {
                guard let gradient = parameter.gradient else { continue }
                for x in gradient.scalars { sum += Double(x) * Double(x) }
            }
        }
        let norm = sum.squareRoot()
        let coefficient = maxNorm / (norm + 1e-6)
        guard coefficient < 1 else { return norm }
        for group in groups {
            for (_, parameter) in group.parameters where parameter.gradient != nil {
                let factor = Scalar(coefficient)
                parameter.gradient!.scalars.withUnsafeMutableBufferPointer { buffer in
                    for k in buffer.indices { buffer[k] *= factor }
                }
            }
        }
        return norm
    }

    public func saveState() -> OptimizerState<Scalar> { base.saveState() }

    public func loadState(_ state: OptimizerState<Scalar>) throws(OptimizerError) { try base.loadState(state) }

    public func resetState() { base.resetState() }
}
