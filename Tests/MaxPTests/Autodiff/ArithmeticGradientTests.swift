import Testing
@testable import MaxP

@Suite("Arithmetic gradients and broadcasting")
struct ArithmeticGradientTests {
    /// Right-hand shapes to broadcast onto a `[2, 3, 4]` left-hand side: same shape, bias row, trailing block, scalar.
    static let rightShapes: [[Int]] = [[2, 3, 4], [4], [3, 4], []]

    @Test(arguments: rightShapes)
    func addition(rightShape: [Int]) {
        expectGradientsMatch([randomTensor([2, 3, 4], seed: 1), randomTensor(rightShape, seed: 2)]) { v in v[0] + v[1] }
    }

    @Test(arguments: rightShapes)
    func subtraction(rightShape: [Int]) {
        expectGradientsMatch([randomTensor([2, 3, 4], seed: 3), randomTensor(rightShape, seed: 4)]) { v in v[0] - v[1] }
    }

    @Test(arguments: rightShapes)
    func multiplication(rightShape: [Int]) {
        expectGradientsMatch([randomTensor([2, 3, 4], seed: 5), randomTensor(rightShape, seed: 6)]) { v in v[0] * v[1] }
    }

    @Test(arguments: rightShapes)
    func division(rightShape: [Int]) {
        let denominator = randomTensorBoundedAwayFromZero(rightShape, seed: 8)
        expectGradientsMatch([randomTensor([2, 3, 4], seed: 7), denominator]) { v in v[0] / v[1] }
    }

    @Test func negationScalingSquaring() {
        let x = randomTensor([3, 4], seed: 9)
        expectGradientsMatch([x]) { v in v[0].negated() }
        expectGradientsMatch([x]) { v in -v[0] }
        expectGradientsMatch([x]) { v in v[0].scaled(by: -2.5) }
        expectGradientsMatch([x]) { v in v[0].squared() }
    }

    @Test func broadcastForwardValues() {
        let tape = Tape<Double>()
        let a = tape.input(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let b = tape.input(Tensor(shape: [3], scalars: [10, 20, 30]))
        #expect((a + b).value.scalars == [11, 22, 33, 14, 25, 36])
        #expect((a - b).value.scalars == [-9, -18, -27, -6, -15, -24])
        #expect((a * b).value.scalars == [10, 40, 90, 40, 100, 180])
        #expect((a / b).value.scalars == [0.1, 0.1, 0.1, 0.4, 0.25, 0.2])
        #expect((a + b).value.shape == [2, 3])
        // The bias gradient is summed over rows.
        (a * b).sum().backward()
        #expect(tape.gradient(of: b)?.scalars == [5, 7, 9])
        #expect(tape.gradient(of: a)?.scalars == [10, 20, 30, 10, 20, 30])
    }
}
