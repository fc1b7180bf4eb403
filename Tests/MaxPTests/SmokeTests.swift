import Testing
@testable import MaxP

@Suite("Tape smoke")
struct TapeSmokeTests {
    @Test func linearReluGradientMatchesHandComputation() {
        BLASThreads.set(1)
        let tape = Tape<Double>()
        let w = Parameter(Tensor<Double>(shape: [2, 3], scalars: [1, -2, 3, 0.5, 1, -1]))
        let x = tape.input(Tensor(shape: [1, 3], scalars: [1, 2, 3]))
        let y = x.linear(weight: tape.parameter(w)).relu()
        // y = relu([1-4+9, 0.5+2-3]) = relu([6, -0.5]) = [6, 0]
        #expect(y.value.scalars == [6, 0])
        let loss = y.matmul(tape.input(Tensor(shape: [2, 1], scalars: [1, 1])))
        loss.backward()
        #expect(w.gradient?.scalars == [1, 2, 3, 0, 0, 0])
    }
}
