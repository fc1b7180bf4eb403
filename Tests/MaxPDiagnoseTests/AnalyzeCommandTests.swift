import Foundation
import Testing
import _MaxPTestSupport

@Suite("maxp-diagnose analyze (subprocess)")
struct AnalyzeCommandTests {
    static let runFiles = ["report.md", "coord_check.png", "coord_check.svg", "coord_check_by_op.png", "coord_check_by_op.svg",
                           "slope_heatmap.png", "slope_heatmap.svg", "slopes.json", "coord_data.csv", "coord_metadata.json", "run.json"]

    @Test("the SP mup fixture: exit 0, the coord-check run folder, the format in the report; report/gate work on it")
    func spFixture() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("analyzed")
        let input = TestFixtures.golden("imported/mup_mlp_sp_adam.csv").path
        let outcome = try CLI.run(["analyze", input, "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("mup format") && outcome.stdout.contains("grows"))
        for name in Self.runFiles {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("mup (pandas `df.to_csv` of a `get_coord_data` frame) format"))
        #expect(report.contains("role readout, from the name"))
        let csv = try String(contentsOf: out.appendingPathComponent("coord_data.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("axis_value,seed,t,op,kind,l1,rms,delta_rms\n64,0,0,fc_1,theta_one,0.7894258499145508,nan,nan\n"))

        let rerendered = try CLI.run(["report", "--from", out.path, "--out", folder.appendingPathComponent("again").path, "-q"])
        #expect(rerendered.status == 0, "\(rerendered.stderr)")
        let baseline = folder.appendingPathComponent("baseline.json")
        let written = try CLI.run(["gate", "--current", out.appendingPathComponent("slopes.json").path,
                                   "--baseline", baseline.path, "--write-baseline"])
        #expect(written.status == 0, "\(written.stderr)")
        // The theory check fails on SP: its readout grows.
        let gated = try CLI.run(["gate", "--current", out.appendingPathComponent("slopes.json").path, "--baseline", baseline.path])
        #expect(gated.status == 1)
        #expect(gated.stdout.contains("readout"))
    }

    @Test("a declaration and --statistic, --t-origin, --quiet are used")
    func declaration() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let declaration = folder.appendingPathComponent("decl.json")
        try Data("""
            {"parametrization": "mup", "ops": [{"match": "fc_1", "role": "input"}, {"match": "fc_*", "role": "hidden"},
             {"match": "readout", "role": "readout", "a": 1, "b": 0}]}
            """.utf8).write(to: declaration)
        let out = folder.appendingPathComponent("analyzed")
        let input = TestFixtures.golden("imported/mup_mlp_mup_adam.csv").path
        let outcome = try CLI.run(["analyze", input, "--declare", declaration.path, "--statistic", "l1", "--t-origin", "1",
                                   "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        let slopes = try String(contentsOf: out.appendingPathComponent("slopes.json"), encoding: .utf8)
        #expect(slopes.contains("\"kind\" : \"hidden\"") && !slopes.contains("\"verdict\" : \"grows\""))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("role hidden, from the declaration (`fc_*`)"))
    }

    @Test("bad input: one line on stderr naming file, line and column, exit 2, nothing written")
    func errors() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.csv")
        try Data("width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a,-1\n256,0,0,a,1\n".utf8).write(to: bad)
        let good = TestFixtures.golden("imported/mup_mlp_mup_adam.csv").path
        let cases: [([String], String)] = [
            (["analyze", bad.path], "line 3, column `l1`"),
            (["analyze", good, "--statistic", "l3"], "line 1: `--statistic l3`"),
            (["analyze", good, "--t-origin", "2"], "--t-origin 2"),
            (["analyze", folder.appendingPathComponent("missing.csv").path], "missing.csv"),
            (["analyze", good, "--declare", bad.path], "declaration"),
        ]
        for (arguments, message) in cases {
            let out = folder.appendingPathComponent("out-\(arguments.count)-\(message.count)")
            let outcome = try CLI.run(arguments + ["--out", out.path])
            #expect(outcome.status == 2, "\(arguments)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && outcome.stderr.contains(message), "\(outcome.stderr)")
            let written = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            #expect(written.isEmpty, "\(written)")
        }
    }
}
