import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import MaxPDiagnostics

@Suite struct SlopeReportGateTests {
    static func report(readoutSlope: Double = -0.5) -> SlopeReport {
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 1) { op, t, statistic in
            if statistic == .deltaRMS { return 0 }
            return op == "readout" && t == 0 ? readoutSlope : 0
        }
        return SlopeReport(table: table)
    }

    @Test func slopesJSONHasExactContractKeysAndExplicitNulls() throws {
        let data = try Self.report().jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["axis"] as? String == "width")
        #expect(object["values"] as? [Int] == Fixtures.widths)
        let ops = try #require(object["ops"] as? [[String: Any]])
        #expect(ops.count == 5 * (2 + 3))
        for entry in ops {
            for key in ["op", "kind", "t", "statistic", "slope", "ci95", "expected", "verdict", "suggested_delta_a"] {
                #expect(entry.keys.contains(key), "missing \(key)")
            }
            #expect(entry["op"] is String && entry["kind"] is String && entry["t"] is Int)
            #expect(["l1", "rms", "delta_rms"].contains(entry["statistic"] as? String ?? ""))
            #expect(["ok", "grows", "shrinks", "inconclusive", "zero"].contains(entry["verdict"] as? String ?? ""))
            #expect((entry["ci95"] as? [Double])?.count == 2)
            #expect(entry["suggested_delta_a"] is NSNull)
        }
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"suggested_delta_a\" : null"))
        // Same data → same bytes; decode → encode is byte-stable.
        #expect(try Self.report().jsonData() == data)
        #expect(try SlopeReport.decode(from: data).jsonData() == data)
    }

    @Test func malformedBaselineIsATypedError() {
        #expect(throws: SlopeReportError.self) { try SlopeReport.decode(from: Data("{\"axis\": 3}".utf8)) }
        let missingKey = Data("{\"axis\":\"width\",\"values\":[1],\"ops\":[{\"op\":\"a\",\"kind\":\"k\",\"t\":0,\"statistic\":\"l1\",\"slope\":0,\"ci95\":[0,0],\"verdict\":\"ok\",\"suggested_delta_a\":null}]}".utf8)
        do {
            _ = try SlopeReport.decode(from: missingKey)
            Issue.record("decoding should fail without `expected`")
        } catch {
            #expect(error.description.contains("expected"))
        }
        #expect(throws: SlopeReportError.self) { try SlopeReport.read(from: URL(fileURLWithPath: "/nonexistent/slopes.json")) }
    }

    @Test func gatePassesOnIdenticalAndFailsOnRegressions() {
        let baseline = Self.report()
        let same = Gate.compare(current: baseline, baseline: baseline)
        #expect(same.passed)
        #expect(same.checks.count == baseline.ops.count)

        let broken = Self.report(readoutSlope: 0)
        let result = Gate.compare(current: broken, baseline: baseline)
        #expect(!result.passed)
        let reasons = Set(result.regressions.map(\.reason))
        #expect(reasons == [.slopeChanged, .theory])
        #expect(result.regressions.allSatisfy { $0.op == "readout" && $0.t == 0 })
        let slopeChange = result.regressions.first { $0.reason == .slopeChanged }!
        #expect(abs(slopeChange.delta! - 0.5) < 0.05)

        var missing = baseline
        missing.ops.removeAll { $0.op == "fc_2" }
        missing.ops.append(SlopeReport.Entry(Diagnosis.judge(Fixtures.table(ops: [OpDescriptor(op: "new", kind: "relu")], steps: 0) { _, _, _ in 0 })[0]))
        let gone = Gate.compare(current: missing, baseline: baseline)
        #expect(gone.regressions.filter { $0.reason == .missing }.count == 5)
        #expect(gone.added.map(\.op) == ["new"])
        // Tolerance is honoured.
        #expect(Gate.compare(current: broken, baseline: baseline, tolerance: 1).regressions.allSatisfy { $0.reason == .theory })
        // Baseline only: the worsened verdict is still caught, under its own reason.
        let baselineOnly = Gate.compare(current: broken, baseline: baseline, tolerance: 1, checksTheory: false)
        #expect(!baselineOnly.passed && baselineOnly.regressions.allSatisfy { $0.reason == .verdictWorsened })
    }

    @Test func theoryCheckFailsABugTheBaselineAlreadyHad() {
        let buggy = Self.report(readoutSlope: 0)
        #expect(buggy.ops.contains { $0.op == "readout" && $0.verdict == .grows })
        // Same slopes as the baseline: nothing moved, but readout grows against theory.
        let result = Gate.compare(current: buggy, baseline: buggy)
        #expect(!result.passed)
        #expect(result.failingOps == ["readout"])
        #expect(result.regressions.allSatisfy { $0.reason == .theory && $0.baselineVerdict == .grows && $0.delta == 0 })
        let first = result.regressions[0]
        #expect(first.expected.map { abs($0 + 0.5) < 1e-9 } == true)
        #expect(first.summary.contains("grows") && first.summary.contains("theory expects -0.500"))
        let table = result.regressionTable()
        #expect(table.hasPrefix("gate FAILED"))
        #expect(table.contains("theory check on"))
        #expect(table.contains("op\tt\tstatistic\tbaseline\tcurrent\tdelta\texpected\tverdict\treason\n"))
        let row = table.split(separator: "\n").first { $0.hasPrefix("readout\t0\tl1\t") }.map(String.init) ?? ""
        #expect(row.hasSuffix("\t-0.500\tgrows\ttheory"), "\(row)")
        #expect(table.hasSuffix("failing ops: readout\n"))
        // --baseline-only accepts the recorded deviation.
        let accepted = Gate.compare(current: buggy, baseline: buggy, checksTheory: false)
        #expect(accepted.passed && accepted.regressionTable().hasPrefix("gate passed"))

        // A new op (not in the baseline) that grows fails the theory check too; a new ok op does not.
        var baseline = Self.report()
        baseline.ops.removeAll { $0.op == "readout" }
        let withNew = Gate.compare(current: buggy, baseline: baseline)
        #expect(withNew.added.allSatisfy { $0.op == "readout" } && !withNew.added.isEmpty)
        #expect(withNew.failingOps == ["readout"])
        #expect(withNew.regressions.allSatisfy { $0.reason == .theory && $0.baseline == nil })
        #expect(withNew.checks.count == baseline.ops.count + withNew.regressions.count)
        #expect(Gate.compare(current: Self.report(), baseline: baseline).passed)
    }

    @Test func junitXMLIsWellFormedAndEscaped() throws {
        var baseline = Self.report()
        baseline.ops[0].op = "weird<&\"'>op"
        var current = Self.report(readoutSlope: 0)
        current.ops[0].op = "weird<&\"'>op"
        let result = Gate.compare(current: current, baseline: baseline)
        let xml = result.junitXML()
        #expect(xml.contains("weird&lt;&amp;&quot;&apos;&gt;op"))
        final class Counter: NSObject, XMLParserDelegate {
            var testcases = 0, failures = 0, classnames: [String] = []
            func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                if element == "testcase" { testcases += 1; classnames.append(attributes["classname"] ?? "") }
                if element == "failure" { failures += 1 }
            }
        }
        let parser = XMLParser(data: Data(xml.utf8))
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse())
        #expect(counter.testcases == baseline.ops.count)
        #expect(counter.failures == result.failedChecks.count)  // one <failure> per failed testcase
        #expect(counter.classnames.contains("weird<&\"'>op"))
        #expect(result.regressionTable().contains("readout\t0\tl1"))
    }
}
