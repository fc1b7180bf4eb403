import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

/// `optimizer.beta1`, `optimizer.beta2` and `optimizer.eps` of `train --config`: read, checked, written to
/// `config.json` (null when unset) and handed to the engine.
@Suite("Run configuration Adam keys")
struct RunConfigurationAdamTests {
    @Test func theKeysReachTheEngineAndTheWrittenConfiguration() throws {
        let c = try RunConfigurationTests.configuration("optimizer: {type: adam, beta1: 0.8, beta2: 0.95, eps: 1.0e-6}")
        #expect(c.optimizer.beta1 == 0.8 && c.optimizer.beta2 == 0.95 && c.optimizer.eps == 1e-6)
        let training = c.trainingOptions
        #expect(training.beta1 == 0.8 && training.beta2 == 0.95 && training.adamEpsilon == 1e-6)
        #expect(try RunConfigurationTests.configuration(c.value.jsonText()) == c)
        let unset = try RunConfigurationTests.configuration("steps: 2").value
        for key in ["beta1", "beta2", "eps"] { #expect(unset.value(at: "optimizer.\(key)") == .null, "\(key)") }
        #expect(RunConfiguration.key(for: .beta1) == "optimizer.beta1" && RunConfiguration.key(for: .adamEpsilon) == "optimizer.eps")
    }

    @Test func badValuesAndOtherOptimizersAreRefusedNamingTheKey() {
        #expect(RunConfigurationTests.error("optimizer: {beta2: 1}") == "optimizer.beta2: β₂ must lie in [0, 1), got 1.0")
        #expect(RunConfigurationTests.error("optimizer: {beta1: -0.5}") == "optimizer.beta1: β₁ must lie in [0, 1), got -0.5")
        #expect(RunConfigurationTests.error("optimizer: {eps: 0}") == "optimizer.eps: ε must be a positive finite number, got 0.0")
        #expect(RunConfigurationTests.error("optimizer: {type: sgd, beta1: 0.9}")
            == "optimizer.beta1: Adam's β₁ means nothing to sgd; give it with adam only")
    }
}
