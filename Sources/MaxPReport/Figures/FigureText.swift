import Foundation
import MaxPDiagnostics

/// Words and numbers as figures and reports show them: parametrization and optimizer names, learning rates as
/// powers of ten, signed slopes.
public enum FigureText {
    /// `µP` for `mup`, `SP`, `NTK`, `MFP`, `maxP`; other labels unchanged.
    public static func parametrizationName(_ label: String) -> String {
        switch label.lowercased() {
        case "mup", "µp", "mu-p": "µP"
        case "sp": "SP"
        case "ntk": "NTK"
        case "mfp": "MFP"
        case "maxp": "maxP"
        default: label
        }
    }

    /// `Adam`, `SGD`, `Adafactor`; other names unchanged.
    public static func optimizerName(_ name: String) -> String {
        switch name.lowercased() {
        case "adam": "Adam"
        case "adamw": "AdamW"
        case "sgd": "SGD"
        case "adafactor": "Adafactor"
        default: name
        }
    }

    /// `10^-3` for exact powers of ten, `3×10^-4` for one significant digit, else a compact number (`0.0025`).
    public static func power(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return number(value) }
        let exponent = log10(value)
        let rounded = exponent.rounded()
        if abs(exponent - rounded) < 1e-9 { return "10^\(Int(rounded))" }
        let decade = floor(exponent)
        let mantissa = value / pow(10, decade)
        if abs(mantissa - mantissa.rounded()) < 1e-9 { return "\(Int(mantissa.rounded()))×10^\(Int(decade))" }
        return number(value)
    }

    /// A slope with its sign and two decimals: `+0.02`, `-0.50`, `+0.00`.
    public static func signed(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "+∞" : "-∞") }
        let text = String(format: "%+.2f", value)
        return text == "-0.00" ? "+0.00" : text
    }

    /// ``signed(_:)`` with a typographic minus (`−0.50`, `+0.02`), as figure labels print slopes.
    public static func figureSigned(_ value: Double) -> String {
        signed(value).replacingOccurrences(of: "-", with: "\u{2212}")
    }

    /// A compact number with up to 4 significant digits (`0.001`, `1.234`, `2.5e-05`).
    public static func number(_ value: Double?) -> String {
        guard let value else { return "–" }
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.3g", value) }
        var text = String(format: "%.4g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// What a statistic measures, for axis labels: `mean |activation| (l1)`, `RMS of activation`,
    /// `RMS of change since init`.
    public static func statisticLabel(_ statistic: PlottedStatistic) -> String {
        switch statistic {
        case .l1: "mean |activation| (l1)"
        case .rms: "RMS of activation"
        case .deltaRMS: "RMS of change since init"
        case .mean: "mean of activation"
        case .std: "std of activation"
        }
    }

    /// What a statistic measures, for titles: `activation size (l1)` …
    public static func statisticTitle(_ statistic: PlottedStatistic) -> String {
        switch statistic {
        case .l1: "activation size (mean |x|)"
        case .rms: "activation size (RMS)"
        case .deltaRMS: "change since init (RMS of h_t − h_0)"
        case .mean: "activation mean (mean x)"
        case .std: "activation spread (std of x)"
        }
    }

    /// The title of a judged statistic (the slope figures), the same as its plotted form's.
    public static func statisticTitle(_ statistic: CoordStatistic) -> String { statisticTitle(PlottedStatistic(statistic)) }

    /// The axis label of a swept axis: `width (hidden units)`, `depth (blocks)`, `heads`.
    public static func axisLabel(_ axis: SweepAxis) -> String {
        switch axis {
        case .width: "width (hidden units)"
        case .depth: "depth (blocks)"
        case .heads: "attention heads"
        default: axis.rawValue
        }
    }
}
