import Foundation
import Testing
@testable import MaxPDiagnostics

/// A readout tied to the input embedding (`shares_input_weight`): at init its input holds the table's rows of the
/// tokens, so the contraction is partly coherent and the expected init slope reaches ½ above the independent
/// `½ − (a + b)`; after training the bound follows. Untied ops are unchanged, and the flag round-trips through JSON
/// only when set.
@Suite("Theory: tied readout")
struct TiedReadoutTheoryTests {
    static func ops(tied: Bool) -> [OpDescriptor] {
        Fixtures.mlp().map { descriptor in
            var copy = descriptor
            if copy.op == "readout" { copy.exponents?.sharesInputWeight = tied }
            return copy
        }
    }

    @Test func initSlopeAllowsTheCoherentTerm() throws {
        let untied = try #require(Theory(ops: Self.ops(tied: false)).expectedSlope(of: "readout", t: 0, statistic: .l1))
        let tied = try #require(Theory(ops: Self.ops(tied: true)).expectedSlope(of: "readout", t: 0, statistic: .l1))
        #expect(untied.lower == -0.5 && untied.upper == -0.5)
        #expect(tied.lower == -0.5 && tied.upper == 0)
        #expect(tied.rule.contains("tied to the input embedding"))
        let trained = try #require(Theory(ops: Self.ops(tied: true)).expectedSlope(of: "readout", t: 2, statistic: .l1))
        #expect(trained.lower == -0.5 && trained.upper == 0)
        #expect(Theory(ops: Self.ops(tied: true)).expectedSlope(of: "fc_2", t: 0, statistic: .l1)
            == Theory(ops: Self.ops(tied: false)).expectedSlope(of: "fc_2", t: 0, statistic: .l1))
    }

    @Test func flagIsWrittenOnlyWhenSet() throws {
        let plain = ParametrizedExponents(a: 0.5, b: 0.5, r: 0, contractsOverWidth: true)
        let tied = ParametrizedExponents(a: 0.5, b: 0.5, r: 0, contractsOverWidth: true, sharesInputWeight: true)
        let plainJSON = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!plainJSON.contains("shares_input_weight") && plainJSON.contains("is_zero_initialized"))
        #expect(try JSONDecoder().decode(ParametrizedExponents.self, from: JSONEncoder().encode(tied)) == tied)
        #expect(try JSONDecoder().decode(ParametrizedExponents.self, from: Data(plainJSON.utf8)) == plain)
    }
}
