import Foundation
import MaxP

/// Nanoseconds per element of `Tensor.randomNormal` (the batched ziggurat) against a loop over the scalar
/// Box–Muller `SeededGenerator.nextNormal()` it replaced, for a 3072 × 2048 weight.
enum RandomBenchmark {
    /// One line per variant.
    static func report() -> String {
        let shape = [3072, 2048], count = Double(3072 * 2048)
        func nanoseconds(_ body: () -> Void) -> Double {
            var best = Double.infinity
            for _ in 0..<3 {
                let start = ContinuousClock.now
                body()
                let elapsed = ContinuousClock.now - start
                best = min(best, Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) * 1e-9)
            }
            return best / count
        }
        var generator = SeededGenerator(seed: 1)
        var sink = 0.0
        let float = nanoseconds { sink += Double(Tensor<Float>.randomNormal(shape: shape, using: &generator).scalars[7]) }
        let double = nanoseconds { sink += Tensor<Double>.randomNormal(shape: shape, using: &generator).scalars[7] }
        let boxMuller = nanoseconds {
            let values = [Float](unsafeUninitializedCapacity: 3072 * 2048) { buffer, initialized in
                for i in 0..<buffer.count { buffer[i] = Float(generator.nextNormal()) }
                initialized = buffer.count
            }
            sink += Double(values[7])
        }
        return String(format: "randomNormal Float %.2f ns/element, Double %.2f ns/element; scalar Box–Muller "
                      + "nextNormal() %.2f ns/element (%.1f× slower than Float)%@",
                      float, double, boxMuller, boxMuller / float, sink.isNaN ? " " : "")
    }
}
