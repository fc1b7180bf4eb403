/// The coordinate sizes of one tensor (and mup's `mean` and `std` of it), computed in one pass over its storage.
public struct SizeStatistics: Sendable, Equatable {
    /// Mean absolute value `mean |x|`.
    public var l1: Double
    /// Root mean square `√mean x²`.
    public var rms: Double
    /// Root mean square of the change `√mean (x − x₀)²` (0 without a reference).
    public var deltaRMS: Double
    /// Mean `mean x` (mup's `mean`).
    public var mean: Double
    /// Standard deviation with `n − 1` in the denominator, `√(Σ (x − mean)² / (n − 1))` (mup's `std`, torch's
    /// default); 0 for a single element.
    public var std: Double

    /// Measures `values`, and their change since `initial` when given (same count; otherwise the change is NaN).
    ///
    /// One pass, SIMD over 8 lanes, accumulated in `Float` blocks of 4096 elements that are summed in `Double`
    /// (no per-element closures). NaN / ±∞ propagate into the results.
    public init(_ values: [Float], initial: [Float]?) {
        let count = values.count
        guard count > 0 else {
            self.init(l1: 0, rms: 0, deltaRMS: 0, mean: 0, std: 0)
            return
        }
        var sumAbs = 0.0, sumSquares = 0.0, sumDelta = 0.0, sum = 0.0
        let hasInitial = initial?.count == count
        values.withUnsafeBufferPointer { p in
            let reference = hasInitial ? initial! : values
            reference.withUnsafeBufferPointer { q in
                let x = UnsafeRawPointer(p.baseAddress!), x0 = UnsafeRawPointer(q.baseAddress!)
                let mask = SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
                var start = 0
                while start < count {
                    let end = min(count, start + 4096)
                    var a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), ad = SIMD8<Float>(), a0 = SIMD8<Float>()
                    var i = start
                    while i + 8 <= end {
                        let v = x.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                        let v0 = x0.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                        a1 += unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & mask, to: SIMD8<Float>.self)
                        a2 += v * v
                        a0 += v
                        let d = v - v0
                        ad += d * d
                        i &+= 8
                    }
                    var s1 = Double(a1.sum()), s2 = Double(a2.sum()), sd = Double(ad.sum()), s0 = Double(a0.sum())
                    while i < end {
                        let v = p[i], d = v - q[i]
                        s1 += Double(abs(v)); s2 += Double(v * v); sd += Double(d * d); s0 += Double(v)
                        i &+= 1
                    }
                    sumAbs += s1; sumSquares += s2; sumDelta += sd; sum += s0
                    start = end
                }
            }
        }
        let n = Double(count)
        let mean = sum / n
        // Σ (x − mean)² = Σ x² − n·mean²; rounding can make it slightly negative for a constant tensor.
        let spread = sumSquares - n * mean * mean
        let std = count == 1 ? 0 : spread.isNaN ? Double.nan : (max(spread, 0) / (n - 1)).squareRoot()
        self.init(l1: sumAbs / n, rms: (sumSquares / n).squareRoot(),
                  deltaRMS: hasInitial ? (sumDelta / n).squareRoot() : (initial == nil ? 0 : .nan), mean: mean, std: std)
    }

    /// Creates statistics from values (`mean` and `std` NaN when not known).
    public init(l1: Double, rms: Double, deltaRMS: Double, mean: Double = .nan, std: Double = .nan) {
        self.l1 = l1
        self.rms = rms
        self.deltaRMS = deltaRMS
        self.mean = mean
        self.std = std
    }
}
