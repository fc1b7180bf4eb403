import Testing
@testable import MaxP

@Suite("Non-finite guard")
struct FiniteCheckTests {
    @Test func finiteLossPassesThrough() throws {
        let tape = Tape<Float>()
        let loss = tape.input(Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])).crossEntropy(targets: [0, 2])
        let checked = try loss.checkedFinite("loss at step 0")
        #expect(checked.id == loss.id)
    }

    @Test func nanLossThrowsTypedErrorNamingOpAndShape() {
        let tape = Tape<Float>()
        let x = tape.input(Tensor(shape: [2, 2], scalars: [1, .nan, 2, 3]))
        let loss = x.meanSquaredError(target: Tensor(zeros: [2, 2]))
        #expect(throws: NumericError.self) { try loss.checkedFinite("loss at step 7") }
        do {
            try loss.checkedFinite("loss at step 7")
            Issue.record("expected a NumericError")
        } catch {
            guard case let .nonFinite(op, shape, context, nanCount, _) = error else { return }
            #expect(op == "meanSquaredError" && shape == [] && context == "loss at step 7" && nanCount == 1)
            #expect(error.description.contains("loss at step 7"))
            #expect(error.description.contains("NaN"))
        }
    }

    @Test func infinityIsReported() {
        let tape = Tape<Double>()
        let x = tape.input(Tensor(shape: [3], scalars: [1, .infinity, -.infinity]))
        do {
            try x.scaled(by: 2).checkedFinite()
            Issue.record("expected a NumericError")
        } catch {
            #expect(error == .nonFinite(op: "scale", shape: [3], context: "", nanCount: 0, infinityCount: 2))
        }
    }
}
