import MaxP

/// Why a built-in model, its parametrization, a fault or a sweep plan could not be set up. Each message names the
/// option or op and the violated condition (the CLI prints it on one line and exits with status 2).
public enum ModelBuildError: Error, Equatable, CustomStringConvertible {
    /// `--inject` named no known fault.
    case unknownFault(String)
    /// The fault cannot be planted in this model / parametrization.
    case faultNotApplicable(fault: Fault, reason: String)
    /// An option value is out of range.
    case invalidOption(option: String, reason: String)
    /// The optimizer kind has no implementation here.
    case unsupportedOptimizer(String)
    /// The parametrization could not be applied.
    case parametrization(String)
    /// A data problem (CSV shape / labels vs the model).
    case data(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .unknownFault(name):
            "unknown fault `\(name)` for --inject (known: \(Fault.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .faultNotApplicable(fault, reason): "--inject \(fault.rawValue) does not apply here: \(reason)"
        case let .invalidOption(option, reason): "\(option): \(reason)"
        case let .unsupportedOptimizer(name): "--optimizer \(name) is not supported by the sweep engine (use adam or sgd)"
        case let .parametrization(reason): "the parametrization could not be applied: \(reason)"
        case let .data(reason): "data: \(reason)"
        }
    }
}
