import Mustache

/// Renders report models to Markdown with the Mustache templates (never by concatenating Markdown in code).
/// Templates declare `{{% CONTENT_TYPE: TEXT}}`, so nothing is HTML-escaped: a `<` stays `<`.
public struct ReportRenderer: Sendable {
    /// The templates in use.
    public let templates: ReportTemplates
    private let library: MustacheLibrary

    /// Parses `templates` (default: ``ReportTemplates/locate(environment:executablePath:sourceFile:)``).
    public init(templates: ReportTemplates? = nil) throws(ReportError) {
        let resolved: ReportTemplates
        if let templates { resolved = templates } else { resolved = try ReportTemplates.locate() }
        self.templates = resolved
        self.library = try resolved.library()
    }

    /// A renderer with the templates found by ``ReportTemplates/locate(environment:executablePath:sourceFile:)``.
    public static func located() throws(ReportError) -> ReportRenderer { try ReportRenderer() }

    /// The coordinate-check report.
    public func render(_ model: CoordCheckReportModel) throws(ReportError) -> String {
        try render(model, template: "coord_check")
    }

    /// The learning-rate transfer report.
    public func render(_ model: LRTransferReportModel) throws(ReportError) -> String {
        try render(model, template: "lr_transfer")
    }

    /// The comparison of experiments (`maxp-diagnose compare`).
    public func render(_ model: ComparisonReportModel) throws(ReportError) -> String {
        try render(model, template: "compare")
    }

    /// The gate summary.
    public func render(_ model: GateReportModel) throws(ReportError) -> String {
        try render(model, template: "gate")
    }

    /// Renders any model with a named template; blank-line runs are collapsed to one.
    public func render(_ model: Any, template name: String) throws(ReportError) -> String {
        guard let text = library.render(model, withTemplate: name) else {
            throw .template(name: name, reason: "not found in \(templates.origin)")
        }
        return Self.tidy(text)
    }

    /// Collapses runs of blank lines (left by skipped sections) into one and ends with exactly one newline.
    static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        var previousBlank = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let blank = line.allSatisfy { $0 == " " || $0 == "\t" }
            if blank && previousBlank { continue }
            lines.append(blank ? "" : line)
            previousBlank = blank
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
