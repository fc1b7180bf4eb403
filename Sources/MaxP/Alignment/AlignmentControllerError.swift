/// Why an ``AlignmentController`` refused an operation. When one of these is thrown nothing has changed: no step was
/// counted, no rate written, no state replaced.
public enum AlignmentControllerError: Error, Equatable, CustomStringConvertible {
    /// An option is out of range.
    case invalidOption(name: String, value: String, requirement: String)
    /// ``AlignmentController/step(sampleForward:optimizer:loss:)`` was called before
    /// ``AlignmentController/captureInitial(sampleForward:optimizer:)``.
    case stepBeforeCapture
    /// The capture forward pass reached no weighted parametrized op with a data input.
    case nothingCaptured
    /// A measuring step needs a sample forward pass but none was given.
    case sampleForwardRequired(step: Int)
    /// `useTrainingActivations` is on but no training forward was recorded since the last measurement.
    case noTrainingActivations(step: Int)
    /// A captured op was not reached by the current forward pass.
    case opNotReached(op: String, step: Int)
    /// The current inputs of an op do not have the shape of its captured initial inputs.
    case sampleShapeMismatch(op: String, captured: [Int], current: [Int])
    /// With `resampleW0`, the op's weight at capture differs from what its seed regenerates.
    case initialWeightNotRegenerable(op: String)
    /// A saved state does not belong to this model / parametrization / options.
    case stateMismatch(String)
    /// A state file could not be read or written.
    case stateFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let requirement):
            return "alignment controller option \(name) = \(value) \(requirement)"
        case .stepBeforeCapture:
            return "step() was called before captureInitial(): capture the initial inputs and weights once before training"
        case .nothingCaptured:
            return "the capture forward pass reached no weighted parametrized op with a data input (embeddings are not "
                + "measured); check that the sample forward runs the parametrized model"
        case .sampleForwardRequired(let step):
            return "step \(step) measures alignment and needs a sample forward pass (or useTrainingActivations with "
                + "recordActivations(on:) on the training tape)"
        case .noTrainingActivations(let step):
            return "step \(step) measures alignment from training activations, but none were recorded: call "
                + "recordActivations(on: tape) on the training tape before its forward pass"
        case .opNotReached(let op, let step):
            return "op '\(op)' was captured initially but the forward pass at step \(step) did not reach it"
        case .sampleShapeMismatch(let op, let captured, let current):
            return "op '\(op)': current inputs have shape \(current) but the captured initial inputs have shape "
                + "\(captured); use a sample input with the same number of rows and features as at capture"
        case .initialWeightNotRegenerable(let op):
            return "op '\(op)': resampleW0 needs the initial weight the parametrization drew from its seed, but the "
                + "weight differs (was the model re-initialized or loaded?); turn resampleW0 off"
        case .stateMismatch(let reason):
            return "alignment controller state does not fit: \(reason)"
        case .stateFile(let path, let reason):
            return "alignment controller state file '\(path)': \(reason)"
        }
    }
}
