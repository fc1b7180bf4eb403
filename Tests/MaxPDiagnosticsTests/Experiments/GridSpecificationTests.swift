import Foundation
import Testing
@testable import MaxPDiagnostics

/// Grid expansion: every combination in a fixed order, overrides applied, names deterministic and safe, bad grids
/// refused with the key named.
@Suite("Grid specification")
struct GridSpecificationTests {
    static func grid(_ yaml: String) throws(ConfigurationError) -> GridSpecification {
        try GridSpecification(document: ConfigDocument.parse(yaml, source: "sweep.yaml"), folder: URL(fileURLWithPath: "/nonexistent"))
    }

    static func error(_ yaml: String, maxRuns: Int? = nil) -> String {
        do { _ = try grid(yaml).runs(maxRuns: maxRuns); return "" } catch { return error.description }
    }

    static let example = """
        base_config: {model: {name: mlp, depth: 2, input_dim: 8, output_dim: 3}, maxp: {parametrization: mup}}
        sweep:
          model.width: [32, 64]
          optimizer.lr_prefactor: [0.01, 0.1, 1]
        overrides: {steps: 3, seed: 2}
        """

    @Test func combinationsInGridOrderWithOverrides() throws {
        let runs = try Self.grid(Self.example).runs()
        #expect(runs.count == 6)
        #expect(runs.map(\.settingsLine) == [
            "model.width=32 optimizer.lr_prefactor=0.01", "model.width=32 optimizer.lr_prefactor=0.1", "model.width=32 optimizer.lr_prefactor=1",
            "model.width=64 optimizer.lr_prefactor=0.01", "model.width=64 optimizer.lr_prefactor=0.1", "model.width=64 optimizer.lr_prefactor=1",
        ])
        #expect(runs[4].name == "model.width=64_optimizer.lr_prefactor=0.1")
        #expect(runs.allSatisfy { $0.configuration.steps == 3 && $0.configuration.seed == 2 && $0.configuration.model.depth == 2 })
        #expect(runs[5].configuration.model.width == 64 && runs[5].configuration.optimizer.lrPrefactor == 1)
        #expect(Set(runs.map(\.name)).count == 6)
    }

    @Test func namesAreFilesystemSafeAndDistinct() {
        let a = GridRun.name([("data", .string("a/b.csv"))]), b = GridRun.name([("data", .string("a_b.csv"))])
        #expect(!a.contains("/") && a != b && a.hasPrefix("data=a-b.csv-"))
        #expect(GridRun.name([("data", .string("a/b.csv"))]) == a)
    }

    @Test func badGridsAreRefusedWithTheKeyNamed() {
        #expect(Self.error("sweep: {}").hasPrefix("empty grid"))
        #expect(Self.error("base_config: {steps: 2}").hasPrefix("empty grid"))
        #expect(Self.error("sweep: {model.width: []}") == "empty grid: sweep.model.width has no values")
        #expect(Self.error("sweep: {model.widht: [1]}").hasPrefix("unknown key `sweep.model.widht` (known: model.name, model.width"))
        #expect(Self.error("sweep: {model.width: 32}") == "sweep.model.width: expected a list of values, got 32")
        #expect(Self.error("sweep: {model.width: [32, abc]}") == #"sweep.model.width: expected a whole number, got "abc""#)
        #expect(Self.error("sweep: {steps: [1, 2]}\noverrides: {steps: 3}") == "overrides.steps: is also swept (give it in one place)")
        #expect(Self.error(Self.example, maxRuns: 5) == "the grid has 6 runs, more than the limit of 5 (raise the run limit or shrink the sweep)")
        #expect(Self.error("bogus: 1\nsweep: {seed: [1]}") == "unknown key `bogus` (known: base_config, sweep, overrides)")
    }
}
