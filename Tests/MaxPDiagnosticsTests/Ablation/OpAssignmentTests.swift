import Testing
@testable import MaxPDiagnostics

@Suite("Op assignments and globs")
struct OpAssignmentTests {
    @Test func parsesGlobFieldAndValue() throws {
        let qk = try OpAssignment(parsing: "blocks.*.attn.qk.a=0.5", setting: .override)
        #expect(qk.glob.pattern == "blocks.*.attn.qk" && qk.field == .a && qk.value == 0.5)
        #expect(qk.description == "blocks.*.attn.qk.a=0.5")
        let sigma = try OpAssignment(parsing: " readout.sigma = 0 ", setting: .plant)
        #expect(sigma.field == .sigma && sigma.value == 0)
    }

    @Test(arguments: ["readout.a", "a=1", "readout.d=1", "readout.a=x", "readout.a=nan", "readout.sigma=-1", ".a=1"])
    func refusesMalformedAssignments(_ text: String) {
        #expect(throws: ModelBuildError.self) { try OpAssignment(parsing: text, setting: .override) }
    }

    @Test func globsMatchWholeNames() {
        let names = ["tok_emb", "blocks.0.attn.q", "blocks.0.attn.qk", "blocks.1.attn.qk", "blocks.10.mlp.fc_in", "readout"]
        #expect(OpGlob("blocks.*.attn.qk").matches(in: names) == ["blocks.0.attn.qk", "blocks.1.attn.qk"])
        #expect(OpGlob("blocks.?.attn.q*").matches(in: names) == ["blocks.0.attn.q", "blocks.0.attn.qk", "blocks.1.attn.qk"])
        #expect(OpGlob("*").matches(in: names) == names)
        #expect(OpGlob("read").matches(in: names).isEmpty)
        #expect(OpGlob("*fc_in").matches(in: names) == ["blocks.10.mlp.fc_in"])
    }

    @Test func anUnmatchedGlobNamesItselfAndListsTheOps() throws {
        let assignment = try OpAssignment(parsing: "fc_9.a=1", setting: .override)
        do {
            _ = try assignment.targets(in: ["fc_1", "fc_2", "readout"], setting: .override)
            Issue.record("an unmatched glob was accepted")
        } catch {
            let text = error.description
            #expect(text.contains("`fc_9`") && text.contains("fc_1, fc_2, readout"), "\(text)")
            #expect(!text.contains("\n"))
        }
    }
}
