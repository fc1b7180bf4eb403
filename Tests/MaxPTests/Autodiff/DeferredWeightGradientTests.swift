import Testing
@testable import MaxP

/// Weight gradients of `x·Wᵀ` kept as their factors: the blocks, the materialized tensor and the tape's hand-over.
@Suite("Deferred weight gradients")
struct DeferredWeightGradientTests {
    func random(_ shape: [Int], seed: UInt64) -> Tensor<Float> {
        var generator = SeededGenerator(seed: seed)
        return .randomNormal(shape: shape, using: &generator)
    }

    @Test func materializedIsTheRowBlocksInOrder() {
        let g = random([5, 37], seed: 1), x = random([5, 23], seed: 2)
        let deferred = DeferredWeightGradient(outputGradient: g, input: x, rowsPerBlock: 16)
        var blocks: [Float] = [], ranges: [Range<Int>] = []
        deferred.forEachRowBlock { rows, block in
            ranges.append(rows)
            blocks += UnsafeBufferPointer(start: block, count: rows.count * 23)
        }
        #expect(ranges == [0..<16, 16..<32, 32..<37])
        let materialized = deferred.materialized()
        #expect(materialized.shape == [37, 23])
        #expect(materialized.scalars.map(\.bitPattern) == blocks.map(\.bitPattern))
        // The same numbers as the whole product (blocks may round differently on some BLAS kernels: close, not equal).
        let product = g.matrixProduct(x, transposeSelf: true)
        for (a, b) in zip(materialized.scalars, product.scalars) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    }

    @Test func oneBlockIsThePlainProduct() {
        let g = random([7, 40], seed: 3), x = random([7, 300], seed: 4)
        let deferred = DeferredWeightGradient(outputGradient: g, input: x)
        #expect(deferred.rowsPerBlock >= 40)
        #expect(deferred.materialized().scalars.map(\.bitPattern)
                == g.matrixProduct(x, transposeSelf: true).scalars.map(\.bitPattern))
    }

    @Test func rowsPerBlockFollowTheColumns() {
        #expect(DeferredWeightGradient<Float>.rowsPerBlock(columns: 3072) == 80)
        #expect(DeferredWeightGradient<Float>.rowsPerBlock(columns: 2048) == 128)
        #expect(DeferredWeightGradient<Float>.rowsPerBlock(columns: 1 << 20) == 16)
    }

    /// `x·Wᵀ` through ``Variable/linear(weight:)`` (defers) and through ``Variable/matmul(_:transposeSelf:transposeOther:)``
    /// (does not): the same forward, and for a weight of one block the same gradient bits.
    func gradients(deferring: Bool, sharedTwice: Bool = false) -> (parameter: Parameter<Float>, tapeGradient: Tensor<Float>?) {
        let weight = Parameter(random([6, 9], seed: 5))
        let tape = Tape<Float>()
        let x = tape.input(random([4, 9], seed: 6), requiresGradient: false)
        let w = tape.parameter(weight)
        func product(_ input: Variable<Float>) -> Variable<Float> {
            deferring ? input.linear(weight: w) : input.matmul(w, transposeOther: true)
        }
        var y = product(x).relu()
        if sharedTwice { y = y + product(tape.input(random([4, 9], seed: 7), requiresGradient: false)) }
        y.meanSquaredError(target: random([4, 6], seed: 8)).backward()
        return (weight, tape.gradient(of: w))
    }

    @Test func aWeightUsedOnceKeepsItsFactorsUntilRead() {
        let plain = gradients(deferring: false).parameter
        let (deferred, tapeGradient) = gradients(deferring: true)
        #expect(plain.deferredGradient == nil)
        #expect(deferred.deferredGradient != nil && deferred.hasGradient)
        #expect(tapeGradient?.scalars.map(\.bitPattern) == plain.gradient?.scalars.map(\.bitPattern))
        #expect(deferred.gradient?.scalars.map(\.bitPattern) == plain.gradient?.scalars.map(\.bitPattern))
        #expect(deferred.deferredGradient == nil)  // read once: now an ordinary gradient
    }

    @Test func aSharedWeightGetsTheSumAsATensor() {
        let plain = gradients(deferring: false, sharedTwice: true).parameter
        let deferred = gradients(deferring: true, sharedTwice: true).parameter
        #expect(deferred.deferredGradient == nil)
        #expect(deferred.gradient?.scalars.map(\.bitPattern) == plain.gradient?.scalars.map(\.bitPattern))
    }

    @Test func accumulatingOverTwoBackwardPassesAddsTheMaterializedGradients() {
        let weight = Parameter(random([3, 5], seed: 9))
        let g = random([2, 3], seed: 10), x = random([2, 5], seed: 11)
        let first = DeferredWeightGradient(outputGradient: g, input: x)
        weight.accumulateGradient(first)
        weight.accumulateGradient(first)
        var expected = first.materialized()
        expected.add(first.materialized())
        #expect(weight.deferredGradient == nil)
        #expect(weight.gradient?.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern))
    }
}
