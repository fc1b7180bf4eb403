import ArgumentParser
import Foundation
import MaxPDiagnostics
import MaxPReport

/// `maxp-diagnose analyze`: judge coord-check data recorded by anyone (PyTorch with `mup`, JAX, a hook of one's own).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Judge coord-check data recorded by PyTorch, JAX or anything else: slopes, verdicts, blame, fixes, report.",
        discussion: """
        Reads FILE.csv in one of two formats, detected from the header and stated in the report:
          mup   what `df.to_csv(path)` writes for a microsoft mup `get_coord_data` frame: an optional unnamed index \
        column, width,module,t and statistic columns (l1, l2 = rms, …); extra constant columns (optimizer, lr) are \
        ignored, the root module (empty name) dropped, t counted from 1 (mapped to 0), seeds numbered by order of \
        appearance per (width, module, t).
          tidy  width (or axis_value),seed,t (0 = init),module (or op) and statistic columns (l1, rms, delta_rms); our \
        own coord_data.csv is one case of it.

        Roles come from --declare (JSON: {"parametrization": "mup"|"sp"|"ntk"|"mfp", "ops": [{"match", "role", "a", \
        "b", "inputs"}]}, first match wins, `*` globs), else from the op names (readout/head/lm_head/output/unembed → \
        readout; qk/scores/attn_logits → attention_logits; embedding/tok/pos/wte/wpe/input → input; norm/ln → norm); \
        every other op is judged by mup's rule: Θ(1) at every width. Writes the same run folder as coord-check \
        (report.md, coord_check.png/.svg, coord_check_by_op.*, slope_heatmap.*, slopes.json, coord_data.csv, \
        coord_metadata.json, run.json), so `report --from`, `gate --current DIR/slopes.json` and `merge` work on it. \
        Exit 0 when judged (whatever the verdicts), 2 on bad input.

        Examples:
          maxp-diagnose analyze coord.csv --out out-analyze
          maxp-diagnose analyze coord.csv --declare model.json --statistic rms --out out-analyze
          maxp-diagnose gate --current out-analyze/slopes.json --theory
        """)

    @Argument(help: ArgumentHelp("The coord-check CSV (mup or tidy format).", valueName: "FILE.csv"))
    var file: String

    @Option(help: ArgumentHelp("Declaration JSON: parametrization and per-op roles, exponents, inputs.", valueName: "DECL.json"))
    var declare: String?

    @Option(help: ArgumentHelp("Size statistic to judge: l1 or rms (default: l1 when the file has it, else rms).",
                               valueName: "l1|rms"))
    var statistic: String?

    @Option(name: .customLong("t-origin"),
            help: ArgumentHelp("The file's step that is initialization (default: 1 for mup files, 0 for tidy).", valueName: "0|1"))
    var tOrigin: Int?

    @Option(help: ArgumentHelp("Output folder, created if missing.", valueName: "dir"))
    var out: String = "maxp-out"

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let output = URL(fileURLWithPath: out)
        _ = try ReportWriter(directory: output)  // unwritable → exit 2 before any work
        let text: String
        do { text = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8) } catch {
            throw ImportError.unreadable(path: file, reason: (error as NSError).localizedDescription)
        }
        let declaration = try declare.map { path throws(DeclarationError) in try Declaration(contentsOf: URL(fileURLWithPath: path)) }
        let data = try CoordImport(csv: text, path: file, declaration: declaration, declarationPath: declare ?? "declaration",
                                   statistic: statistic, tOrigin: tOrigin)
        let report = data.slopeReport()
        var run = RunDescription(table: data.table, command: ReproduceCommand.current())
        run.settings = [
            .init(name: "input", value: file),
            .init(name: "input format", value: data.source.format.rawValue),
            .init(name: "declaration", value: declare ?? "none"),
            .init(name: "statistic", value: data.statistic.rawValue),
            .init(name: "t-origin", value: String(data.source.tOrigin)),
        ]
        run.notes = data.notes
        run.coordCheckFigures = CoordCheckFigureChoices(statistic: PlottedStatistic(data.statistic))  // `report --from` keeps it
        try RunArtifacts.writeCoordCheck(table: data.table, slopes: report, run: run, to: output,
                                         options: ArtifactOptions(coordCheck: CoordCheckFigureOptions(statistic: PlottedStatistic(data.statistic))))
        if !quiet { print(Self.summary(report, data: data, output: out)) }
    }

    /// The terminal summary: format, counts per verdict, the root-cause deviations.
    static func summary(_ report: SlopeReport, data: CoordImport, output: String) -> String {
        var counts: [Verdict: Int] = [:]
        for entry in report.ops { counts[entry.verdict, default: 0] += 1 }
        var lines = ["analyze: \(data.fileName) (\(data.source.format.rawValue) format, \(data.source.ops.count) ops, "
            + "widths \(data.source.widths.map(String.init).joined(separator: ",")), t-origin \(data.source.tOrigin)): "
            + "\(report.ops.count) slopes — "
            + Verdict.allCases.filter { counts[$0] != nil }.map { "\(counts[$0]!) \($0.rawValue)" }.joined(separator: ", ")]
        for entry in report.ops where entry.verdict.isDeviation && entry.inheritedFrom == nil {
            lines.append("  \(entry.verdict.rawValue): \(entry.message)")
        }
        lines.append("wrote \(output)/report.md, coord_check.png, coord_check.svg, coord_data.csv, slopes.json")
        return lines.joined(separator: "\n")
    }
}
