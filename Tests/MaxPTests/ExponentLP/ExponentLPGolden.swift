import Foundation
import MaxP

/// Locates and decodes the shared golden data (`<repo>/../shared/golden/…`).
enum ExponentLPGolden {
    /// The golden folder: walk up from this file to the package root (the folder holding `Package.swift`), then
    /// `../shared/golden`.
    static func folder(filePath: String = #filePath) -> URL? {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        let manager = FileManager.default
        while directory.path != "/" {
            if manager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                let golden = directory.deletingLastPathComponent().appendingPathComponent("shared/golden")
                if manager.fileExists(atPath: golden.path) { return golden }
            }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: "/work/shared/golden")
        return manager.fileExists(atPath: fallback.path) ? fallback : nil
    }

    /// The raw bytes of a golden file.
    static func data(_ name: String) throws -> Data {
        guard let folder = folder() else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: folder.appendingPathComponent(name))
    }

    /// A golden LP case: the problem plus the reference result.
    struct Case: Decodable {
        struct Result: Decodable {
            var status: String
            var objective: Double
            var c: [String: Double?]
            var r: [String: Double]
            var cUnique: Bool

            enum CodingKeys: String, CodingKey {
                case status, objective, c, r
                case cUnique = "c_unique"
            }
        }

        var id: String
        var result: Result
    }

    /// Every case of `lp_cases.json`, with its problem, its reference result and its raw JSON object.
    static func lpCases() throws -> [(problem: ExponentProblem, reference: Case, json: Data)] {
        let data = try data("lp_cases.json")
        struct File: Decodable {
            var cases: [ExponentProblem]
        }
        struct References: Decodable {
            var cases: [Case]
        }
        let problems = try JSONDecoder().decode(File.self, from: data).cases
        let references = try JSONDecoder().decode(References.self, from: data).cases
        let raw = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cases"] as? [Any] ?? []
        let jsons = try raw.map { try JSONSerialization.data(withJSONObject: $0) }
        return zip(zip(problems, references), jsons).map { ($0.0, $0.1, $1) }
    }
}
