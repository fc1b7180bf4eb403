import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

extension RunConfigurationTests {
    /// Depth-µP's keys `maxp.depth_alpha` / `maxp.base_depth` reach the training options, are written back (`null`
    /// when not set), count in a resumed run's comparison and are refused where they mean nothing.
    @Test func depthMuPKeysReachTheTrainingOptionsAndRoundTrip() throws {
        let c = try Self.configuration("""
            model: {name: gpt, depth: 4}
            maxp: {depth_alpha: 0.5, base_depth: 2}
            steps: 2
            """)
        #expect(c.trainingOptions.depthAlpha == 0.5 && c.trainingOptions.baseDepth == 2)
        #expect(c.trainingOptions.depthScaling(depth: c.model.depth) == DepthScaling(alpha: 0.5, depth: 4, baseDepth: 2))
        #expect(c.summary.contains(", depth-µP α 0.5, base depth 2"), "\(c.summary)")
        #expect(try Self.configuration(c.value.jsonText()) == c)
        let defaults = try Self.configuration("model: {name: gpt}")
        #expect(defaults.trainingOptions.depthAlpha == nil && !defaults.summary.contains("depth-µP"))
        #expect(defaults.value.value(at: "maxp.depth_alpha") == .null && defaults.value.value(at: "maxp.base_depth") == .null)
        var other = c
        other.maxp.depthAlpha = 1
        #expect(c.firstDifference(from: other)?.key == "maxp.depth_alpha")
        #expect(RunConfiguration.isKnown("maxp.depth_alpha") && RunConfiguration.isKnown("maxp.base_depth"))
        #expect(RunConfiguration.key(for: .depthAlpha) == "maxp.depth_alpha" && RunConfiguration.key(for: .baseDepth) == "maxp.base_depth")
    }

    @Test func badDepthMuPValuesNameTheirKey() throws {
        #expect(Self.error("model: {name: gpt}\nmaxp: {depth_alpha: 0.7}")
                    == "maxp.depth_alpha: must be 0, 0.5 or 1 (plain, Depth-µP, CompleteP), got 0.7")
        #expect(Self.error("maxp: {depth_alpha: 1}") == "maxp.depth_alpha: \(DepthTheory.noResidualStreamInMLP)")
        #expect(Self.error("model: {name: gpt}\nmaxp: {base_depth: 2}")
                    == "maxp.base_depth: needs maxp.depth_alpha (it is depth-µP's base depth)")
        #expect(Self.error("model: {name: gpt}\nmaxp: {depth_alpha: 1, base_depth: 0}") == "maxp.base_depth: must be at least 1, got 0")
        // Given by options, the same checks name the options.
        let document = try ConfigDocument.parse("maxp: {depth_alpha: 1}", source: "run.yaml")
        #expect(throws: ConfigurationError.invalid(key: "--depth-alpha", reason: DepthTheory.noResidualStreamInMLP)) {
            try RunConfiguration(document: document, labels: ["maxp.depth_alpha": "--depth-alpha"])
        }
    }
}
