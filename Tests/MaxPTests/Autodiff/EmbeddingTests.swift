import Testing
@testable import MaxP

@Suite("Embedding lookup")
struct EmbeddingTests {
    @Test func gradientWithRepeatedIds() {
        let table = randomTensor([5, 3], seed: 1)
        let ids = [4, 1, 1, 0, 4, 4]
        expectGradientsMatch([table]) { v in v[0].gatherRows(ids, shape: [2, 3]) }
    }

    @Test func gathersRowsAndScatterAddsGradients() {
        let tape = Tape<Double>()
        let table = tape.input(Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21]))
        let rows = table.gatherRows([2, 0, 2], shape: [3])
        #expect(rows.value == Tensor(shape: [3, 2], scalars: [20, 21, 0, 1, 20, 21]))
        rows.sum().backward()
        // Row 2 used twice, row 0 once, row 1 never.
        #expect(tape.gradient(of: table)?.scalars == [1, 1, 0, 0, 2, 2])
    }
}
