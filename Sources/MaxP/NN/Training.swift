/// Errors that stop training.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss was NaN or infinite at `step` (counting from 1); the parameters were not updated.
    case nonFiniteLoss(step: Int, value: Double)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let step, let value):
            return "the loss is \(value) at step \(step); lower the learning rate or check the data and initialization "
                + "(the parameters were not updated)"
        }
    }
}

/// The value of a one-element loss, or ``TrainingError/nonFiniteLoss(step:value:)`` if it is NaN or infinite.
public func finiteLossValue<Scalar>(_ loss: Variable<Scalar>, step: Int) throws(TrainingError) -> Double {
    precondition(loss.value.count == 1, "loss at step \(step) must hold one element, got shape \(loss.shape)")
    let value = Double(loss.value.scalars[0])
    guard value.isFinite else { throw .nonFiniteLoss(step: step, value: value) }
    return value
}

/// Runs training steps of a model with an optimizer: zero gradients, forward on a fresh tape, check the loss is
/// finite, backward, update.
public final class Trainer<Scalar: TensorScalar> {
    /// The model being trained.
    public let model: any Module<Scalar>
    /// The optimizer updating it (its groups may be changed between steps).
    public let optimizer: any Optimizer<Scalar>
    /// The number of completed steps.
    public var completedSteps: Int

    /// Creates a trainer; `completedSteps` lets a restored run continue its count.
    public init(model: any Module<Scalar>, optimizer: any Optimizer<Scalar>, completedSteps: Int = 0) {
        self.model = model
        self.optimizer = optimizer
        self.completedSteps = completedSteps
    }

    /// One step: `loss` builds the scalar loss on the given tape; returns its value before the update.
    /// Throws ``TrainingError/nonFiniteLoss(step:value:)`` (without updating) if the loss is NaN or infinite.
    @discardableResult
    public func step(loss: (Tape<Scalar>) -> Variable<Scalar>) throws(TrainingError) -> Double {
        model.zeroGradients()
        let value = try forwardAndBackward(loss)
        optimizer.step()
        completedSteps += 1
        return value
    }

    /// Forward and backward on a tape that is released on return, so the optimizer then updates parameter storage
    /// the tape no longer shares (no copy-on-write of every weight).
    private func forwardAndBackward(_ loss: (Tape<Scalar>) -> Variable<Scalar>) throws(TrainingError) -> Double {
        let tape = Tape<Scalar>(retainsOpGradients: false)  // no one reads an op's gradient here
        let output = loss(tape)
        let value = try finiteLossValue(output, step: completedSteps + 1)
        output.backward()
        return value
    }
}
