import Foundation
import MaxP

/// Next-token prediction on sequences from a seeded random Markov source (no download): a fixed random transition
/// matrix over `vocabulary` tokens (rows `softmax(N(0, sharpness²))`, so some continuations are much likelier than
/// others), start tokens uniform.
public struct MarkovTask: Sendable, Equatable {
    /// Number of token ids.
    public let vocabulary: Int
    /// Seed of the transition matrix.
    public let seed: UInt64
    /// Cumulative transition probabilities, row-major `[vocabulary, vocabulary]`.
    private let cumulative: [Double]

    /// Creates the source (draws the transition matrix from `seed`).
    public init(vocabulary: Int, seed: UInt64 = 0, sharpness: Double = 2) {
        precondition(vocabulary > 1, "MarkovTask: vocabulary must be at least 2, got \(vocabulary)")
        self.vocabulary = vocabulary
        self.seed = seed
        var generator = SeededGenerator.derived(from: seed, 0x3A2C)
        var table = [Double](repeating: 0, count: vocabulary * vocabulary)
        for row in 0..<vocabulary {
            var logits = (0..<vocabulary).map { _ in sharpness * generator.nextNormal() }
            let top = logits.max()!
            var total = 0.0
            for k in logits.indices { logits[k] = exp(logits[k] - top); total += logits[k] }
            var running = 0.0
            for k in logits.indices {
                running += logits[k] / total
                table[row * vocabulary + k] = running
            }
            table[row * vocabulary + vocabulary - 1] = 1
        }
        cumulative = table
    }

    /// `batch` sequences of `sequenceLength` tokens with their next-token targets, from the generator seeded with
    /// `(seed, index)`.
    public func batch(size batch: Int, sequenceLength: Int, index: Int) -> TaskBatch {
        var generator = SeededGenerator.derived(from: seed, 0xBA7C, index)
        var tokens: [Int] = [], targets: [Int] = []
        tokens.reserveCapacity(batch * sequenceLength)
        targets.reserveCapacity(batch * sequenceLength)
        for _ in 0..<batch {
            var current = Int(generator.next() % UInt64(vocabulary))
            for _ in 0..<sequenceLength {
                tokens.append(current)
                let u = generator.nextUnit()
                let base = current * vocabulary
                var next = 0
                while next < vocabulary - 1 && cumulative[base + next] < u { next += 1 }
                targets.append(next)
                current = next
            }
        }
        return .tokens(tokens, targets: targets, batch: batch, sequenceLength: sequenceLength)
    }
}
