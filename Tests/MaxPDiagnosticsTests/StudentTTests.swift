import Testing
@testable import MaxPDiagnostics

@Suite struct StudentTTests {
    @Test func criticalValuesMatchTables() {
        let table: [(Int, Double)] = [(1, 12.7062047), (2, 4.3026527), (5, 2.5705818), (30, 2.0422725), (1000, 1.9623392)]
        for (dof, expected) in table {
            #expect(abs(StudentT.criticalValue95(degreesOfFreedom: dof) - expected) < 1e-6)
        }
        #expect(StudentT.criticalValue95(degreesOfFreedom: 0) == .infinity)
        #expect(abs(StudentT.quantile(0.025, degreesOfFreedom: 4) + 2.7764451) < 1e-6)
    }
}
