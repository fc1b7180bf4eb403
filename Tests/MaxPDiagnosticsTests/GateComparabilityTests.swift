import Foundation
import Testing
@testable import MaxPDiagnostics

/// The gate compares only what is comparable: otherwise it is an input error with the reason, never a pass.
@Suite("Gate refuses baselines that do not belong to the run")
struct GateComparabilityTests {
    static let report = SlopeReportGateTests.report()

    func problem(_ change: (inout SlopeReport) -> Void, current: SlopeReport = report) -> GateInputProblem? {
        var baseline = Self.report
        change(&baseline)
        do { try Gate.checkComparable(current: current, baseline: baseline); return nil } catch { return error }
    }

    @Test("the same run is comparable, also with a planted fault marked in the model name")
    func comparable() {
        #expect(problem { _ in } == nil)
        var injected = Self.report
        injected.model += " [injected fault: missing-readout-multiplier]"
        #expect(problem({ _ in }, current: injected) == nil)
    }

    @Test("other widths, parametrization, model, axis, schema 99, no slopes, a nan slope: each refused with its reason")
    func refused() throws {
        #expect(problem { $0.values = [32, 64, 128] } == .valuesMismatch(axis: .width, baseline: [32, 64, 128], current: Self.report.values))
        #expect(problem { $0.parametrization = "sp" } == .parametrizationMismatch(baseline: "sp", current: Self.report.parametrization ?? ""))
        #expect(problem { $0.model = "GPT d=w, 2 blocks" } == .modelMismatch(baseline: "GPT d=w, 2 blocks", current: Self.report.model))
        #expect(problem { $0.axis = .depth } == .axisMismatch(baseline: .depth, current: .width))
        #expect(problem { $0.schemaVersion = 99 } == .unsupportedSchema(.baseline, version: 99, supported: 1))
        #expect(problem { $0.ops = [] } == .noSlopes(.baseline))
        #expect(problem { $0.ops = $0.ops.map { var e = $0; e.op = "other." + e.op; return e } } == .nothingInCommon)
        let first = Self.report.ops[0]
        guard case .nonFiniteSlope(.baseline, let key, _)? = problem({ $0.ops[0].slope = .nan }) else {
            Issue.record("a nan slope was accepted"); return
        }
        #expect(key == first.key)
        #expect(GateInputProblem.noSlopes(.baseline).description.contains("compare nothing"))
    }

    @Test("a non-numeric slope string in slopes.json is a malformed file, not a regression")
    func nonNumericSlope() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Self.report.jsonData()) as? [String: Any])
        var ops = try #require(object["ops"] as? [[String: Any]])
        ops[0]["slope"] = "steep"
        object["ops"] = ops
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: SlopeReportError.self) { try SlopeReport.decode(from: data) }
        ops[0]["slope"] = "nan"
        object["ops"] = ops
        let baseline = try SlopeReport.decode(from: JSONSerialization.data(withJSONObject: object))
        #expect(throws: GateInputProblem.self) { try Gate.checkComparable(current: Self.report, baseline: baseline) }
    }
}
