import Foundation
import MaxP
import _MaxPTestSupport

/// Decodes the golden LP data (`Tests/Fixtures/golden/…`, located by ``TestFixtures``).
enum ExponentLPGolden {
    /// The raw bytes of a golden file.
    static func data(_ name: String) throws -> Data { try TestFixtures.goldenData(name) }

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
