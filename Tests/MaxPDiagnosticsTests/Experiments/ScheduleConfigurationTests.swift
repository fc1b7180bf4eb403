import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

/// The `schedule` section builds the core's schedules (factors checked against their closed forms).
@Suite("Schedule configuration")
struct ScheduleConfigurationTests {
    static func schedule(_ yaml: String) throws -> ScheduleConfiguration {
        try RunConfiguration(document: ConfigDocument.parse(yaml, source: "s")).schedule
    }

    @Test func wsdFreezesAfterItsStablePhaseAndChainsMultiply() throws {
        let s = try Self.schedule("schedule: {type: wsd, warmup: 2, stable: 2, decay: 4, shape: linear, min_factor: 0.2, chain: [{type: step_decay, every: 3, gamma: 0.5}]}")
        let p = try s.prefactorSchedule()
        #expect(p.freezeStep == 4)
        // wsd linear: k ≤ 2 → 0.2 + 0.8 k/2; k ≤ 4 → 1; then 1 − 0.8 (k − 4)/4; times 0.5^(k/3).
        let expected: [Double] = [0.6, 1, 1 * 0.5, 1 * 0.5, 0.8 * 0.5, 0.6 * 0.25, 0.4 * 0.25]
        for (index, value) in expected.enumerated() {
            #expect(abs(p.factor(at: index + 1) - value) < 1e-12, "step \(index + 1)")
        }
        #expect(s.value == (try Self.schedule("schedule: \(s.value.description)")).value)
    }

    @Test func joinedAndCosineAndWarmup() throws {
        let s = try Self.schedule("schedule: {type: joined, parts: [{type: linear_warmup, steps: 2}, {type: cosine, steps: 4, min_factor: 0}], boundaries: [2]}")
        let f = try s.prefactorSchedule()
        #expect(f.freezeStep == nil)
        #expect(f.factor(at: 1) == 0.5 && f.factor(at: 2) == 1)
        #expect(abs(f.factor(at: 4) - 0.5) < 1e-12)  // cosine at 2 of 4: ½(1 + cos π/2)
        #expect(abs(f.factor(at: 6)) < 1e-12)
    }

    @Test func badSchedulesNameTheKey() {
        func message(_ yaml: String) -> String {
            do { _ = try Self.schedule(yaml); return "" } catch { return "\(error)" }
        }
        #expect(message("schedule: {type: wsd, warmup: 2}").hasPrefix("schedule.decay: missing"))
        #expect(message("schedule: {type: spiral}").hasPrefix(#"schedule.type: expected one of constant, wsd"#))
        #expect(message("schedule: {type: step_decay, every: 0, gamma: 0.5}").hasPrefix("schedule:"))
        #expect(message("schedule: {type: joined, parts: [{type: constant}, {type: constant}], boundaries: [3, 4]}").contains("boundary"))
    }
}
