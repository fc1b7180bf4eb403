import MaxP

/// Why a model, its parametrization, a fault or a sweep could not be set up. Each case carries the setting or op it
/// is about as a typed field, so a front end can name it in its own terms (the CLI maps ``SweepSetting`` to a flag
/// and every case to exit status 2); ``description`` is the library's own one-line message.
public enum ModelBuildError: Error, Equatable, CustomStringConvertible {
    /// A fault name that is not one of ``Fault``'s.
    case unknownFault(String)
    /// The fault cannot be planted in this model / parametrization.
    case faultNotApplicable(fault: Fault, reason: String)
    /// A setting's value is out of range.
    case invalid(setting: SweepSetting, reason: String)
    /// A setting that means something only together with `other` was given without it (`why` says what it is).
    case requires(setting: SweepSetting, other: SweepSetting, why: String)
    /// The optimizer has no implementation in the sweep / training engine.
    case unsupportedOptimizer(OptimizerKind)
    /// The parametrization could not be applied.
    case parametrization(String)
    /// A data problem (CSV shape / labels vs the model); `setting` is the model size that disagrees.
    case data(setting: SweepSetting?, reason: String)
    /// Your model factory threw (the error's description).
    case model(String)
    /// A parametrized op's name is already the call site of another op in the forward pass (a layer named `input`
    /// collides with the data leaf `tape.input`): its measurements would be filed under `op#1`, without its
    /// declared exponents.
    case nameCollision(op: String, other: String)
    /// The run would need more memory than is available (``MemoryEstimate``); `setting` is the swept size to lower
    /// (``SweepSetting/values`` in a sweep, ``SweepSetting/width`` for one model).
    case insufficientMemory(estimate: MemoryEstimate, availableBytes: Double, setting: SweepSetting)

    /// A message a user can act on, naming settings by their library names.
    public var description: String { message { $0.rawValue.replacingOccurrences(of: "_", with: " ") } }

    /// The message with settings spelled by `name` (the CLI passes its flag names).
    public func message(naming name: (SweepSetting) -> String) -> String {
        switch self {
        case let .unknownFault(text):
            return "unknown fault `\(text)` for \(name(.fault)) (known: \(Fault.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .faultNotApplicable(fault, reason): return "\(name(.fault)) \(fault.rawValue) does not apply here: \(reason)"
        case let .invalid(setting, reason): return "\(name(setting)): \(reason)"
        case let .requires(setting, other, why): return "\(name(setting)): needs \(name(other)) (\(why))"
        case let .unsupportedOptimizer(kind):
            return "\(name(.optimizer)) \(kind.rawValue) is not supported by the sweep and training engine (use adam, sgd or adafactor)"
        case let .parametrization(reason): return "the parametrization could not be applied: \(reason)"
        case let .data(setting, reason):
            return "data: " + reason + (setting.map { " (\(name($0)))" } ?? "")
        case let .model(reason): return "the model factory failed: \(reason)"
        case let .nameCollision(op, other):
            return "the parametrized op `\(op)` has the same name as \(other) in the forward pass; rename the layer "
                + "(its measurements would be filed as `\(op)#1` without its declared exponents)"
        case let .insufficientMemory(estimate, available, setting):
            return "the run needs an estimated \(estimate) of memory, more than the \(MemoryEstimate.format(available)) "
                + "available (MemAvailable): lower \(name(setting)), \(name(.batch)) or the model sizes"
        }
    }
}
