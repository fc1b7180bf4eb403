import CMaxPKernels
import Foundation
import Testing
@testable import MaxP

/// The first-update Adam loop (moments written, not read) against the general update from zero moments.
@Suite("OptimizerKernels Adam first step")
struct OptimizerKernelsTests {
    /// The general update in plain scalar Float, from the given moments.
    static func reference(p: [Float], g: [Float], m: [Float], v: [Float], _ h: OptimizerKernels.AdamStep)
        -> (p: [Float], m: [Float], v: [Float]) {
        let t = Double(h.step)
        let stepSize = Float(h.learningRate / (1 - pow(h.beta1, t)))
        let inverseRoot = Float(1 / (1 - pow(h.beta2, t)).squareRoot())
        let b1 = Float(h.beta1), c1 = Float(1 - h.beta1), b2 = Float(h.beta2), c2 = Float(1 - h.beta2)
        let coupled: Float = h.decoupled ? 0 : Float(h.weightDecay)
        let decay: Float = h.decoupled ? Float(1 - h.learningRate * h.weightDecay) : 1
        var (pOut, mOut, vOut) = (p, m, v)
        for i in p.indices {
            let pi = p[i] * decay
            let gi = g[i] + coupled * pi
            mOut[i] = b1 * m[i] + c1 * gi
            vOut[i] = b2 * v[i] + c2 * gi * gi
            pOut[i] = pi - stepSize * mOut[i] / (vOut[i].squareRoot() * inverseRoot + Float(h.epsilon))
        }
        return (pOut, mOut, vOut)
    }

    @Test(arguments: [false, true])
    func firstStepIsBitIdenticalToTheGeneralUpdate(decoupled: Bool) {
        let n = 8 * 5 + 3  // SIMD blocks and a tail
        var generator = SeededGenerator(seed: 9)
        let p = Tensor<Float>.randomNormal(shape: [n], using: &generator)
        var gradient = Tensor<Float>.randomNormal(shape: [n], standardDeviation: 1e-3, using: &generator)
        gradient.scalars[3] = -0.0
        gradient.scalars[n - 1] = 0
        let h = OptimizerKernels.AdamStep(learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                                          weightDecay: 0.1, decoupled: decoupled, step: 1)
        var parameter = p
        var m = Tensor<Float>(zeros: [n]), v = Tensor<Float>(zeros: [n])
        OptimizerKernels.adam(parameter: &parameter, gradient: gradient, firstMoment: &m, secondMoment: &v, h)
        let zeros = [Float](repeating: 0, count: n)
        let expected = Self.reference(p: p.scalars, g: gradient.scalars, m: zeros, v: zeros, h)
        #expect(parameter.scalars.map(\.bitPattern) == expected.p.map(\.bitPattern))
        #expect(m.scalars.map(\.bitPattern) == expected.m.map(\.bitPattern))
        #expect(v.scalars.map(\.bitPattern) == expected.v.map(\.bitPattern))

        // The second update reads the moments back (general loop), and agrees with the reference too.
        var second = h
        second.step = 2
        let before = (p: parameter.scalars, m: m.scalars, v: v.scalars)
        OptimizerKernels.adam(parameter: &parameter, gradient: gradient, firstMoment: &m, secondMoment: &v, second)
        let expectedSecond = Self.reference(p: before.p, g: gradient.scalars, m: before.m, v: before.v, second)
        #expect(parameter.scalars.map(\.bitPattern) == expectedSecond.p.map(\.bitPattern))
    }

    /// The C kernel's first step writes the moments with non-temporal stores from the first 16-byte-aligned element
    /// on, and with ordinary stores when the two moments are not aligned alike: every pair of offsets (moments
    /// starting 0…3 floats into their buffers, so that every peel length and both paths run) gives the reference's bits.
    @Test func firstStepStoresGiveTheSameBitsAtEveryAlignment() {
        let n = 16 * 9 + 5
        var generator = SeededGenerator(seed: 12)
        let p = Tensor<Float>.randomNormal(shape: [n], using: &generator).scalars
        let g = Tensor<Float>.randomNormal(shape: [n], standardDeviation: 1e-3, using: &generator).scalars
        let h = OptimizerKernels.AdamStep(learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                                          weightDecay: 0, decoupled: false, step: 1)
        let zeros = [Float](repeating: 0, count: n)
        let expected = Self.reference(p: p, g: g, m: zeros, v: zeros, h)
        for mOffset in 0..<4 {
            for vOffset in 0..<4 {
                var parameter = p
                var m = [Float](repeating: .nan, count: n + 4), v = m
                m.withUnsafeMutableBufferPointer { mBuffer in
                    v.withUnsafeMutableBufferPointer { vBuffer in
                        maxp_adam_f32(&parameter, g, mBuffer.baseAddress! + mOffset, vBuffer.baseAddress! + vOffset, n,
                                      1, 0, 0.9, Float(1 - 0.9), 0.999, Float(1 - 0.999), Float(1e-2 / (1 - 0.9)),
                                      Float(1 / (1 - 0.999).squareRoot()), 1e-8, 1)
                    }
                }
                #expect(parameter.map(\.bitPattern) == expected.p.map(\.bitPattern), "offsets \(mOffset), \(vOffset)")
                #expect(Array(m[mOffset..<(mOffset + n)]).map(\.bitPattern) == expected.m.map(\.bitPattern))
                #expect(Array(v[vOffset..<(vOffset + n)]).map(\.bitPattern) == expected.v.map(\.bitPattern))
                #expect(m[..<mOffset].allSatisfy(\.isNaN) && m[(mOffset + n)...].allSatisfy(\.isNaN), "writes outside m")
            }
        }
    }
}
