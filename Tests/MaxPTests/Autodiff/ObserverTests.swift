import Testing
@testable import MaxP

@Suite("Op observation")
struct ObserverTests {
    @Test func observerSeesEveryOpWithUniqueSites() {
        let tape = Tape<Double>()
        final class Log { var events: [(site: String, kind: OpKind)] = [] }
        let log = Log()
        tape.observers.append { log.events.append(($0.site, $0.kind)) }
        let x = tape.input(randomTensor([2, 3, 4], seed: 1))
        let table = tape.input(randomTensor([5, 4], seed: 2))
        let gain = tape.input(Tensor(repeating: 1, shape: [4]))
        let loss = tape.withScope("block") {
            let e = table.gatherRows([0, 1, 2, 3, 4, 0], shape: [2, 3])
            let h = (x + e - e * e / gain).negated().scaled(by: 2)
            let n = h.layerNorm(gain: gain, bias: gain).rmsNorm(gain: gain).gelu().silu().tanh().relu()
            let s = n.matmul(n, transposeOther: true).causalMasked().softmax().logSoftmax()
            let r = s.reshaped([2, 9]).transposed(0, 1).sum(alongAxis: 0).mean(alongAxis: 0)
            let c = n.concatenated(with: n, alongAxis: 2).sum().squared() + r.mean()
            return c + n.crossEntropy(targets: [0, 1, 2, 3, 0, 1]) + n.meanSquaredError(target: Tensor(zeros: [2, 3, 4]))
        }
        let expected: [OpKind] = [
            .embedding, .add, .mul, .div, .sub, .neg, .scale, .layerNorm, .rmsNorm, .gelu, .silu, .tanh, .relu,
            .matmul, .causalMask, .softmax, .logSoftmax, .reshape, .transpose, .sum, .mean, .concat, .sum, .square,
            .mean, .add, .crossEntropy, .add, .meanSquaredError, .add,
        ]
        #expect(log.events.map(\.kind) == expected)
        let sites = log.events.map(\.site)
        #expect(Set(sites).count == sites.count, "sites are not unique: \(sites)")
        #expect(sites.allSatisfy { $0.hasPrefix("block.") })
        #expect(loss.shape == [])
    }

    @Test func opUsedTwiceInOneScopeGivesTwoSites() {
        let tape = Tape<Double>()
        final class Log { var sites: [String] = [] }
        let log = Log()
        tape.observers.append { log.sites.append($0.site) }
        let x = tape.input(randomTensor([2, 3], seed: 3))
        tape.withScope("blocks.0.attn") {
            _ = x.softmax()
            _ = x.softmax()
        }
        tape.withScope("blocks.1.attn") { _ = x.softmax() }
        #expect(log.sites == ["blocks.0.attn.softmax", "blocks.0.attn.softmax#1", "blocks.1.attn.softmax"])
    }

    @Test func noGradientTapeStillObserves() {
        let tape = Tape<Double>(recordsGradients: false)
        final class Counter { var count = 0 }
        let counter = Counter()
        tape.observers.append { _ in counter.count += 1 }
        _ = tape.input(randomTensor([2, 3], seed: 4)).gelu().layerNorm(gain: nil, bias: nil).mean()
        #expect(counter.count == 3)
    }
}
