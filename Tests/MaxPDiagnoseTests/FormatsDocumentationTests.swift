import Foundation
import Testing
import _MaxPTestSupport

/// `docs/formats.md` documents every column and field the writers emit: checked on real output of `coord-check` and
/// `analyze`.
@Suite("docs/formats.md covers the written files")
struct FormatsDocumentationTests {
    /// The section of `docs/formats.md` whose `## ` heading names `file`.
    static func section(_ file: String) throws -> String {
        let text = try String(contentsOf: TestFixtures.packageRoot().appendingPathComponent("docs/formats.md"), encoding: .utf8)
        let sections = text.components(separatedBy: "\n## ")
        return try #require(sections.first { $0.hasPrefix("`\(file)`") }, "no section for \(file)")
    }

    /// Every key path of a JSON value (`ops.exponents.a`; array elements share their array's path).
    static func paths(_ value: Any, prefix: String = "") -> Set<String> {
        var result = Set<String>()
        if let object = value as? [String: Any] {
            for (key, child) in object {
                let path = prefix.isEmpty ? key : prefix + "." + key
                result.insert(path)
                result.formUnion(paths(child, prefix: path))
            }
        } else if let array = value as? [Any] {
            for child in array { result.formUnion(paths(child, prefix: prefix)) }
        }
        return result
    }

    @Test("every CSV column and JSON field of coord-check and analyze output is documented")
    func documented() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let swept = folder.appendingPathComponent("swept"), analyzed = folder.appendingPathComponent("analyzed")
        let sweep = try CLI.run(["coord-check"] + CoordCheckCommandTests.small + ["--out", swept.path])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let declaration = folder.appendingPathComponent("decl.json")
        try Data("{\"ops\": [{\"match\": \"fc_3\", \"role\": \"norm\", \"a\": 0.5}]}".utf8).write(to: declaration)
        let analysis = try CLI.run(["analyze", TestFixtures.golden("imported/mup_mlp_mup_adam.csv").path,
                                    "--declare", declaration.path, "--out", analyzed.path, "--quiet"])
        #expect(analysis.status == 0, "\(analysis.stderr)")
        var checked = 0
        for run in [swept, analyzed] {
            let header = try String(contentsOf: run.appendingPathComponent("coord_data.csv"), encoding: .utf8)
                .split(separator: "\n")[0].split(separator: ",")
            let csvSection = try Self.section("coord_data.csv")
            for column in header {
                #expect(csvSection.contains("`\(column)`"), "coord_data.csv column `\(column)` is not documented")
                checked += 1
            }
            let moments = run.appendingPathComponent("coord_moments.csv")
            if FileManager.default.fileExists(atPath: moments.path) {
                let section = try Self.section("coord_moments.csv")
                for column in try String(contentsOf: moments, encoding: .utf8).split(separator: "\n")[0].split(separator: ",") {
                    #expect(section.contains("`\(column)`"), "coord_moments.csv column `\(column)` is not documented")
                    checked += 1
                }
            } else {
                #expect(run != swept, "coord-check writes coord_moments.csv")
            }
            for file in ["slopes.json", "coord_metadata.json", "run.json"] {
                let value = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent(file)))
                let section = try Self.section(file)
                for path in Self.paths(value) {
                    #expect(section.contains("`\(path)`"), "\(file) field `\(path)` is not documented in docs/formats.md")
                    checked += 1
                }
            }
        }
        #expect(checked > 80)
    }
}
