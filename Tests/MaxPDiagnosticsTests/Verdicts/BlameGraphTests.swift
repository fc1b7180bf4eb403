import MaxP
import Testing
@testable import MaxPDiagnostics

@Suite("Verdicts: blame graph")
struct BlameGraphTests {
    // emb → fc → relu → readout, and emb → skip → readout.
    static let graph = BlameGraph(theory: Theory(ops: [
        OpDescriptor(op: "emb", kind: "input", inputs: []),
        OpDescriptor(op: "fc", kind: "hidden", inputs: ["emb"]),
        OpDescriptor(op: "relu", kind: "relu", inputs: ["fc"]),
        OpDescriptor(op: "skip", kind: "relu", inputs: ["emb"]),
        OpDescriptor(op: "readout", kind: "readout", inputs: ["relu", "skip"]),
    ], mode: .declared))

    @Test func forwardCulpritsComeFirstAndTheNearestWins() {
        let found = Self.graph.nearestCulprit(of: "relu", among: ["emb": 1, "fc": 1, "readout": 1], backward: true)
        #expect(found?.op == "fc" && found?.direction == .forward)
    }

    @Test func backwardCulpritsOnlyWhenAsked() {
        #expect(Self.graph.nearestCulprit(of: "emb", among: ["readout": 1], backward: false) == nil)
        let found = Self.graph.nearestCulprit(of: "skip", among: ["readout": 1, "emb": 1], backward: true)
        #expect(found?.op == "emb" && found?.direction == .forward)
        let downstream = Self.graph.nearestCulprit(of: "fc", among: ["readout": 1], backward: true)
        #expect(downstream?.op == "readout" && downstream?.direction == .backward)
        #expect(Self.graph.nearestCulprit(of: "readout", among: ["readout": 1], backward: true) == nil)
    }
}
