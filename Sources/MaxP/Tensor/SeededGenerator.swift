import Foundation

/// A deterministic pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same sequence on every machine and every run, so initializations, synthetic batches
/// and sweeps are reproducible. It is a value type: copying it forks the stream.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Codable, Equatable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    /// The seed this generator was created from.
    public let seed: UInt64

    /// Creates a generator whose whole future output is determined by `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 &<< 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// Runs `body` on the four state words in place (for kernels that advance the generator in bulk with the
    /// recurrence of ``next()``, e.g. `maxp_normal_ziggurat_f32`).
    mutating func withStateWords<R>(_ body: (UnsafeMutablePointer<UInt64>) -> R) -> R {
        withUnsafeMutableBytes(of: &state) { body($0.baseAddress!.assumingMemoryBound(to: UInt64.self)) }
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal deviate, one at a time (Box–Muller in `Double`: each call pair draws two uniforms and
    /// returns `√(−2 ln u₁)·cos(2πu₂)`, then caches `√(−2 ln u₁)·sin(2πu₂)` for the next call).
    ///
    /// For filling tensors use ``Tensor/randomNormal(shape:mean:standardDeviation:using:)``, which is much faster and
    /// draws a different (equally deterministic) stream.
    public mutating func nextNormal() -> Double {
        if let cached = spare {
            spare = nil
            return cached
        }
        var u1 = nextUnit()
        while u1 <= 0 { u1 = nextUnit() }
        let u2 = nextUnit()
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spare = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }

    private var spare: Double?

    /// A generator derived from this seed and a list of integers (e.g. `[seed, width, step]`), independent of
    /// how many numbers have been drawn from `self`.
    public static func derived(from seed: UInt64, _ parts: Int...) -> SeededGenerator {
        var mixed = seed
        for part in parts {
            var g = SeededGenerator(seed: mixed ^ (UInt64(bitPattern: Int64(part)) &* 0x9E37_79B9_7F4A_7C15))
            mixed = g.next()
        }
        return SeededGenerator(seed: mixed)
    }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.seed == rhs.seed && lhs.state == rhs.state && lhs.spare == rhs.spare
    }

    private enum CodingKeys: String, CodingKey { case seed, state, spare }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decode(UInt64.self, forKey: .seed)
        let s = try c.decode([UInt64].self, forKey: .state)
        guard s.count == 4 else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: c, debugDescription: "generator state needs 4 words, got \(s.count)")
        }
        state = (s[0], s[1], s[2], s[3])
        spare = try c.decodeIfPresent(Double.self, forKey: .spare)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode([state.0, state.1, state.2, state.3], forKey: .state)
        try c.encodeIfPresent(spare, forKey: .spare)
    }
}

extension Tensor {
    /// A tensor of independent normal draws with the given mean and standard deviation.
    ///
    /// Batched and fast (≈ 2 ns per element): a 256-layer ziggurat reading `generator.next()` directly, in the
    /// tensor's own scalar type (two `Float` draws per 64-bit word). It does not use ``SeededGenerator/nextNormal()``
    /// (and ignores its cached Box–Muller value), so its numbers differ from a loop over `nextNormal()`; they are
    /// fully determined by the generator's state, and the generator advances by a deterministic amount.
    public static func randomNormal(
        shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1, using generator: inout SeededGenerator
    ) -> Tensor {
        Tensor(shape: shape) { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            if Scalar.self == Float.self {
                NormalZiggurat.fill(
                    UnsafeMutableRawPointer(base).assumingMemoryBound(to: Float.self), count: buffer.count,
                    mean: Float(mean), standardDeviation: Float(standardDeviation), using: &generator)
            } else if Scalar.self == Double.self {
                NormalZiggurat.fill(
                    UnsafeMutableRawPointer(base).assumingMemoryBound(to: Double.self), count: buffer.count,
                    mean: Double(mean), standardDeviation: Double(standardDeviation), using: &generator)
            } else {
                let m = Double(mean), s = Double(standardDeviation)
                for i in 0..<buffer.count { buffer[i] = Scalar(m + s * generator.nextNormal()) }
            }
        }
    }

    /// Overwrites every element with an independent draw from `N(0, standardDeviation²)` — the numbers
    /// ``randomNormal(shape:mean:standardDeviation:using:)`` gives for this shape, in this tensor's own storage (copied
    /// first only if shared); a standard deviation of 0 writes zeros and draws nothing.
    public mutating func redrawNormal(standardDeviation: Scalar, using generator: inout SeededGenerator) {
        guard standardDeviation != 0 else {
            self = Tensor(zeros: shape)
            return
        }
        guard Scalar.self == Float.self, count > 0 else {
            self = .randomNormal(shape: shape, standardDeviation: standardDeviation, using: &generator)
            return
        }
        scalars.withUnsafeMutableBufferPointer { buffer in
            NormalZiggurat.fill(
                UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: Float.self), count: buffer.count,
                mean: 0, standardDeviation: Float(standardDeviation), using: &generator)
        }
    }

    /// A tensor of independent uniform draws in `[lower, upper)`.
    public static func randomUniform(
        shape: [Int], lower: Scalar = 0, upper: Scalar = 1, using generator: inout SeededGenerator
    ) -> Tensor {
        let count = shape.reduce(1, *)
        let lo = Double(lower), span = Double(upper) - Double(lower)
        var values = [Scalar]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(Scalar(lo + span * generator.nextUnit())) }
        return Tensor(shape: shape, scalars: values)
    }
}
