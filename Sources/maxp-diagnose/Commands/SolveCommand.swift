import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics
import _MaxPSupport

/// `maxp-diagnose solve`: solves the exponent LP for a graph file (`--graph`) and prints the learning-rate exponents
/// as one JSON object; or, with `--model mlp|gpt`, parametrizes a built-in model (traced from a sample batch) and
/// prints its layer table — name, role, width, a, b, c, lr, r, alignment — as aligned columns (`--json`: a JSON array).
///
/// Exit codes: 0 optimal, 1 infeasible or unbounded (a JSON object with `status` and `message` on stdout),
/// 2 bad input (one line on stderr).
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve the exponent LP for learning-rate exponents c (lr = η · width^-c).",
        discussion: """
            --graph FILE.json reads one case object in the lp_cases.json format (optimizer, layers, optional \
            c_fixed and feature_learning) and prints {"status": "optimal", "objective": Σc, "c": {…}, "r": {…}}.
            --model mlp|gpt prints the per-layer table of a built-in model (name, role, width, a, b, c, lr, r, \
            alignment); --json prints it as JSON.
            Exit codes: 0 optimal, 1 infeasible/unbounded, 2 bad input.

            Examples:
              maxp-diagnose solve --graph case.json
              maxp-diagnose solve --model mlp --parametrization mup --optimizer adam --alignment full
              maxp-diagnose solve --model gpt --parametrization mup --optimizer sgd --alignment no --width 256 --json
            """)

    @Option(name: .long, help: "A graph file in the lp_cases.json case format.")
    var graph: String?

    @OptionGroup var shape: ModelShapeOptions<SolveDefaults>
    @OptionGroup var oneModel: OneModelOptions<SolveDefaults>
    @OptionGroup var training: ParametrizationOptions<SolveDefaults>

    @Flag(name: .long, help: "With --model: print the table as a JSON array instead of columns.")
    var json = false

    func validate() throws {
        if shape.model != nil { _ = try runConfiguration() }
    }

    /// The model `--model` asks for, as the run configuration `train` would train (its defaults, the same rules;
    /// one line naming the flag on any error).
    private func runConfiguration() throws -> RunConfiguration {
        let (document, labels) = RunSetting.applied(RunSetting.of(shape.given + oneModel.given + training.given), to: .map([]))
        do {
            let configuration = try RunConfiguration(document: document, labels: labels)
            do { try configuration.validateModel() } catch { throw ValidationError(error.commandLineMessage) }
            return configuration
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        switch (graph, shape.model) {
        case (let path?, nil):
            try solveGraphFile(at: path)
        case (nil, _?):
            try printModelTable()
        case (_?, _?):
            throw Self.badInput("give exactly one of --graph and --model, not both")
        case (nil, nil):
            throw Self.badInput("give exactly one of --graph FILE.json or --model mlp|gpt")
        }
    }

    private func solveGraphFile(at path: String) throws {
        let data: Data
        do {
            data = try InputFile.read(URL(fileURLWithPath: path))
        } catch {
            throw Self.badInput("cannot read graph file '\(path)': \(error.reason)")
        }
        let problem: ExponentProblem
        do {
            problem = try JSONFormat.decode(ExponentProblem.self, from: data, decoder: JSONDecoder())
        } catch {
            throw Self.badInput("malformed graph file '\(path)': \(error.reason)")
        }
        let solution: ExponentSolution
        do {
            solution = try problem.solve()
        } catch {
            switch error {
            case .infeasible, .unbounded, .solverFailure:
                let status: String = {
                    switch error {
                    case .infeasible: return "infeasible"
                    case .unbounded: return "unbounded"
                    default: return "error"
                    }
                }()
                print("{\"status\": \(JSONFormat.quoted(status)), \"message\": \(JSONFormat.quoted(error.description))}")
                throw ExitCode(1)
            default:
                throw Self.badInput("\(path): \(error.description)")
            }
        }
        let names = problem.layers.map(\.name)
        let c = names.compactMap { name in solution.c[name].map { (name, $0) } }
        let r = names.compactMap { name in solution.r[name].map { (name, $0) } }
        print(
            "{\"status\": \"optimal\", \"objective\": \(Self.jsonNumber(solution.objective)), "
                + "\"c\": \(Self.jsonObject(c)), \"r\": \(Self.jsonObject(r))}")
    }

    /// Parametrizes the built-in model and prints its layer table.
    private func printModelTable() throws {
        let configuration = try runConfiguration()
        let built = try ModelBuilder.build(options: configuration.modelOptions, training: configuration.trainingOptions,
                                           axis: .width, axisValue: configuration.model.width, seed: configuration.seed,
                                           batch: SweepPlan(model: configuration.modelOptions, values: [],
                                                            data: .synthetic(seed: UInt64(configuration.seed))).batch(seed: 0),
                                           trainable: false)
        let rows = built.parametrization.table
        if json {
            print(String(decoding: try JSONFormat.encoder().encode(rows), as: UTF8.self))
            return
        }
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
        let header = ["name", "role", "width", "a", "b", "c", "lr", "r", "alignment"]
        let cells = rows.map { row in
            [row.name, row.role, "\(row.width)", number(row.a), number(row.b), number(row.c),
             row.learningRate.map { String(format: "%.4e", $0) } ?? "-", number(row.r),
             String(format: "(%.3f, %.3f, %.3f)%@", row.alignment.alpha, row.alignment.omega, row.alignment.u, row.isPinned ? " pinned" : "")]
        }
        let widths = header.indices.map { i in ([header[i]] + cells.map { $0[i] }).map(\.count).max()! }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { i, field in
                let pad = String(repeating: " ", count: widths[i] - field.count)
                return i == 0 || i == 1 || i == fields.count - 1 ? field + pad : pad + field
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(configuration.summary)
        print(line(header))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in cells { print(line(row)) }
        for tie in built.parametrization.tiedWeights { print(tie.description) }
    }

    /// Writes one line to stderr and returns the exit code for bad input.
    private static func badInput(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("maxp-diagnose solve: \(message)\n".utf8))
        return ExitCode(2)
    }

    private static func jsonObject(_ entries: [(String, Double)]) -> String {
        "{" + entries.map { "\(JSONFormat.quoted($0.0)): \(jsonNumber($0.1))" }.joined(separator: ", ") + "}"
    }

    /// Shortest round-trip decimal; −0 printed as 0.
    private static func jsonNumber(_ value: Double) -> String {
        value == 0 ? "0.0" : "\(value)"
    }

}
