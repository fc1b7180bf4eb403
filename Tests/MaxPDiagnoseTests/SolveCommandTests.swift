import Foundation
import Testing
import _MaxPTestSupport

/// Runs the built `maxp-diagnose` binary on graph files and checks the `solve` contract: JSON on stdout and exit codes
/// 0 (optimal), 1 (infeasible), 2 (bad input).
@Suite("maxp-diagnose solve")
struct SolveCommandTests {
    /// Every case of the golden `lp_cases.json` (`Tests/Fixtures/golden`), as raw JSON objects.
    static func goldenCases() throws -> [[String: Any]] {
        let file = TestFixtures.golden("lp_cases.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        return object?["cases"] as? [[String: Any]] ?? []
    }

    static func goldenCase(_ id: String) throws -> [String: Any] {
        try #require(try goldenCases().first { $0["id"] as? String == id })
    }

    static func run(_ arguments: [String]) throws -> Subprocess.Outcome {
        let executable = try #require(TestFixtures.builtProduct("maxp-diagnose", release: isRelease),
                                      "maxp-diagnose binary not found next to the tests or in .build")
        return try Subprocess.run(executable, arguments)
    }

    #if DEBUG
    static let isRelease = false
    #else
    static let isRelease = true
    #endif

    /// Writes a JSON object (or raw text) to a fresh temporary file.
    static func temporaryFile(_ contents: Any) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-solve-\(UUID().uuidString).json")
        let data = try (contents as? String).map { Data($0.utf8) } ?? JSONSerialization.data(withJSONObject: contents)
        try data.write(to: url, options: .atomic)
        return url
    }

    @Test(arguments: ["dag_tinyblock_qk_a0.5_sgd_full", "chain_d4_adam_full_cfixed_readout0.5", "dag_swiglu_adam_full"])
    func optimalGoldenCase(id: String) throws {
        let golden = try Self.goldenCase(id)
        let file = try Self.temporaryFile(golden)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try Self.run(["solve", "--graph", file.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").count == 1)
        let output = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let result = try #require(golden["result"] as? [String: Any])
        #expect(output["status"] as? String == "optimal")
        let objective = try #require(output["objective"] as? Double)
        #expect(abs(objective - (result["objective"] as? Double ?? .nan)) < 1e-6)
        let c = try #require(output["c"] as? [String: Double])
        let r = try #require(output["r"] as? [String: Double])
        let expectedC = (result["c"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Double }
        let expectedR = (result["r"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Double }
        #expect(Set(c.keys) == Set(expectedC.keys))
        #expect(Set(r.keys) == Set(expectedR.keys))
        for (name, value) in expectedC { #expect(abs((c[name] ?? .nan) - value) < 1e-6, "c[\(name)]") }
        for (name, value) in expectedR { #expect(abs((r[name] ?? .nan) - value) < 1e-6, "r[\(name)]") }
    }

    @Test func infeasibleExitsWithOne() throws {
        var golden = try Self.goldenCase("chain_d3_adam_full")
        golden["c_fixed"] = ["emb": -1.0]
        let file = try Self.temporaryFile(golden)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try Self.run(["solve", "--graph", file.path])
        #expect(run.status == 1)
        let output = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(output["status"] as? String == "infeasible")
        #expect((output["message"] as? String)?.contains("emb") == true)
    }

    @Test func badInputExitsWithTwo() throws {
        // Missing file.
        let missing = try Self.run(["solve", "--graph", "/nonexistent/graph.json"])
        #expect(missing.status == 2 && missing.stdout.isEmpty && !missing.stderr.isEmpty)
        // Malformed JSON.
        let malformed = try Self.temporaryFile("{\"optimizer\": \"adam\", \"layers\": [")
        defer { try? FileManager.default.removeItem(at: malformed) }
        let malformedRun = try Self.run(["solve", "--graph", malformed.path])
        #expect(malformedRun.status == 2 && malformedRun.stdout.isEmpty && !malformedRun.stderr.isEmpty)
        // Bad exponents: a hidden layer with a+b = 1.
        var golden = try Self.goldenCase("chain_d3_adam_full")
        var layers = try #require(golden["layers"] as? [[String: Any]])
        layers[1]["a"] = 0.5
        golden["layers"] = layers
        let bad = try Self.temporaryFile(golden)
        defer { try? FileManager.default.removeItem(at: bad) }
        let badRun = try Self.run(["solve", "--graph", bad.path])
        #expect(badRun.status == 2 && badRun.stdout.isEmpty)
        #expect(badRun.stderr.contains("interior") && badRun.stderr.contains("must be 0.5"))
        // Unknown optimizer.
        golden = try Self.goldenCase("chain_d3_adam_full")
        golden["optimizer"] = "lion"
        let unknown = try Self.temporaryFile(golden)
        defer { try? FileManager.default.removeItem(at: unknown) }
        let unknownRun = try Self.run(["solve", "--graph", unknown.path])
        #expect(unknownRun.status == 2 && unknownRun.stderr.contains("lion"))
        // Neither or both of --graph / --model.
        #expect(try Self.run(["solve"]).status == 2)
        #expect(try Self.run(["solve", "--graph", bad.path, "--model", "mlp"]).status == 2)
    }
}
