import Foundation
import Testing
@testable import MaxPDiagnostics

/// The gate's advice on an inconclusive check names the swept axis' values: depths on a depth axis.
@Suite("Depth-axis advice")
struct DepthAxisAdviceTests {
    @Test func anInconclusiveGateCheckAdvisesTheAxisValues() {
        let key = SlopeKey(op: "last.add#1", t: 1, statistic: .deltaRMS)
        #expect(VerdictProse.inconclusiveCheck(key).hasSuffix("(add seeds or widths)"))
        #expect(VerdictProse.inconclusiveCheck(key, axis: .depth).hasSuffix("(add seeds or depths)"))
        let result = GateResult(tolerance: 0.1, checks: [GateCheck(key: key, baseline: 0, current: 0, regressions: [],
                                                                   currentVerdict: .inconclusive)], added: [])
        #expect(result.junitXML(axis: .depth).contains("add seeds or depths"))
        #expect(result.junitXML().contains("add seeds or widths"))
    }
}
