import MaxPDiagnostics

/// Shared parts of every Markdown report, as the templates see them: plain strings, already formatted.
public enum ReportSections {
    /// The run configuration section (`run_configuration` template).
    public struct Run: Sendable, Equatable {
        /// One row of the per-layer table.
        public struct Layer: Sendable, Equatable {
            public var name, role, width, a, b, c, lr, r: String
        }
        /// One configuration value.
        public struct Setting: Sendable, Equatable {
            public var name, value: String
        }
        /// Model description.
        public var model: String
        /// Parametrization display name (or names, for a sweep over several), or nil.
        public var parametrization: String?
        /// `parametrization`, or `parametrizations` when several were swept.
        public var parametrizationWord = "parametrization"
        /// `learning rate`, or `learning rates` when several were swept.
        public var learningRateWord = "learning rate"
        /// Optimizer display name, or nil.
        public var optimizer: String?
        /// Learning rate text (or the swept range), or nil.
        public var learningRate: String?
        /// Seed count text, or nil.
        public var seeds: String?
        /// Step count text, or nil.
        public var steps: String?
        /// The command that reproduces the run, or nil.
        public var command: String?
        /// Configuration values.
        public var settings: [Setting]
        /// Whether there are settings.
        public var hasSettings: Bool
        /// Notes.
        public var notes: [String]
        /// The per-layer abc/LP table.
        public var layers: [Layer]
        /// Whether there are layers.
        public var hasLayers: Bool

        /// Formats a run description.
        public init(_ run: RunDescription) {
            model = run.model.isEmpty ? "(not recorded)" : MarkdownText.inline(run.model)
            parametrization = run.parametrization.map(FigureText.parametrizationName)
            optimizer = run.optimizer.map(FigureText.optimizerName)
            learningRate = run.learningRate.map { FigureText.number($0) }
            seeds = run.seedCount.map(String.init)
            steps = run.steps.map(String.init)
            command = run.command.isEmpty ? nil : run.command
            settings = run.settings.map { Setting(name: MarkdownText.cell($0.name), value: MarkdownText.cell($0.value)) }
            hasSettings = !settings.isEmpty
            notes = run.notes.map(MarkdownText.inline)
            layers = run.layers.map { row in
                Layer(name: MarkdownText.cell(row.name), role: MarkdownText.cell(row.role), width: String(row.width),
                      a: FigureText.number(row.a), b: FigureText.number(row.b), c: FigureText.number(row.c),
                      lr: FigureText.number(row.lr), r: FigureText.number(row.r))
            }
            hasLayers = !layers.isEmpty
        }
    }

    /// An embedded figure (`figures` template): the PNG shown inline, the SVG linked.
    public struct FigureLink: Sendable, Equatable {
        /// Heading above the figure.
        public var title: String
        /// Relative path of the PNG (or SVG when no PNG was written).
        public var file: String
        /// Alternative text.
        public var alt: String
        /// One sentence saying how to read it.
        public var caption: String
        /// Relative path of the SVG, when both were written.
        public var vector: String?

        /// Creates a link.
        public init(title: String, file: String, alt: String, caption: String, vector: String? = nil) {
            self.title = title; self.file = file; self.alt = alt; self.caption = caption; self.vector = vector
        }
    }

    /// A data file written next to the report (`data_files` template).
    public struct DataFile: Sendable, Equatable {
        /// File name (relative link).
        public var name: String
        /// What it holds.
        public var description: String
        /// Creates an entry.
        public init(name: String, description: String) { self.name = name; self.description = description }
    }
}

/// Makes text safe inside a Markdown table cell or a line (the template supplies the Markdown structure).
enum MarkdownText {
    /// Escapes `|` and folds line breaks so the text stays in its table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Folds line breaks so the text stays on its line.
    static func inline(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: " ") }
}
