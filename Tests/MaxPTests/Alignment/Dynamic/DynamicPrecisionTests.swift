import Foundation
import Testing
@testable import MaxP

/// The model-precision (Float GEMM) alignment path against the Double reference path.
@Suite("Dynamic alignment: precision")
struct DynamicPrecisionTests {
    @Test func floatPathAgreesWithDoublePath() {
        var g = SeededGenerator(seed: 5)
        let (rows, inputs, outputs) = (32, 256, 128)
        let z0 = Tensor<Double>.randomNormal(shape: [rows, inputs], using: &g)
        let w0 = Tensor<Double>.randomNormal(shape: [outputs, inputs], standardDeviation: 1 / 16, using: &g)
        // A partly aligned update: rank-1 plus noise, and a small input change.
        let direction = Tensor<Double>.randomNormal(shape: [outputs, 1], using: &g)
        let meanInput = Tensor<Double>(shape: [1, inputs], scalars: (0..<inputs).map { i in (0..<rows).map { z0.scalars[$0 * inputs + i] }.reduce(0, +) / Double(rows) })
        let update = direction.matrixProduct(meanInput).scaled(by: 1e-3)
            .adding(Tensor<Double>.randomNormal(shape: [outputs, inputs], standardDeviation: 1e-4, using: &g))
        let w = w0.adding(update)
        let z = z0.adding(Tensor<Double>.randomNormal(shape: [rows, inputs], standardDeviation: 0.05, using: &g))
        let reference = AlignmentMeasurement.measure(z0: z0, w0: w0, z: z, w: w, fanIn: inputs)
        let double = AlignmentMeasurement.measureInModelPrecision(z0: z0, w0: w0, z: z, w: w, fanIn: inputs)
        let float = AlignmentMeasurement.measureInModelPrecision(
            z0: z0.converted(to: Float.self), w0: w0.converted(to: Float.self), z: z.converted(to: Float.self),
            w: w.converted(to: Float.self), fanIn: inputs)
        for (x, y) in [(reference.alpha, double.alpha), (reference.omega, double.omega), (reference.u, double.u)] {
            #expect(abs(x - y) < 1e-12)
        }
        for (x, y) in [(reference.alpha, float.alpha), (reference.omega, float.omega), (reference.u, float.u)] {
            #expect(abs(x - y) < 1e-4, "\(x) vs \(y)")
        }
        #expect(reference.alpha > 0.6)  // the rank-1 part shows
    }

    @Test func goldenVectorsThroughTheFastPath() {
        // spec §5.2 first vector.
        let z0 = Tensor<Double>(shape: [2, 4], scalars: [1, 2, 0, -1, 0.5, -1, 2, 1])
        let w0 = Tensor<Double>(shape: [3, 4], scalars: [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, -1, 1])
        let z = z0.adding(Tensor(shape: [2, 4], scalars: [0.1, 0, 0.2, 0, 0, 0.3, 0, -0.1]))
        let w = w0.adding(Tensor(shape: [3, 4], scalars: [0.05, 0.1, 0, 0, 0, 0, 0.2, 0, 0.1, 0, 0, -0.1]))
        let a = AlignmentMeasurement.measureInModelPrecision(z0: z0, w0: w0, z: z, w: w, fanIn: 4)
        #expect(abs(a.alpha - 0.560529210803) < 1e-9 && abs(a.omega - 0.534101928328) < 1e-9 && abs(a.u - 0.508829296454) < 1e-9)
        let still = AlignmentMeasurement.measureInModelPrecision(z0: z0, w0: w0, z: z0, w: w0, fanIn: 4)
        #expect(still == Alignment(alpha: 0, omega: 0, u: 0))
    }

    @Test func controllerPrecisionsAgreeOnAFloatModel() throws {
        let a = try DynamicRun<Float>(width: 64)
        let b = try DynamicRun<Float>(width: 64)
        let fast = try a.controller(.init(measureOnly: true))
        let exact = try b.controller(.init(measureOnly: true, precision: .double))
        try a.run(fast, steps: 1...3)
        try b.run(exact, steps: 1...3)
        for name in fast.capturedOps {
            let x = fast.alignments[name]!, y = exact.alignments[name]!
            #expect(abs(x.alpha - y.alpha) < 1e-4 && abs(x.omega - y.omega) < 1e-4 && abs(x.u - y.u) < 1e-4, "\(name): \(x) vs \(y)")
        }
    }
}
