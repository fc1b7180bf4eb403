import Foundation
import Testing
@testable import MaxP

@Suite("Alignment measurement (spec §5.1)")
struct AlignmentMeasurementTests {
    struct GoldenCase: Decodable {
        var name: String
        var fanIn: Int
        var z0: [[Double]]
        var w0: [[Double]]
        var z: [[Double]]
        var w: [[Double]]
        var expected: [String: Double]

        enum CodingKeys: String, CodingKey {
            case name, z0, w0, z, w, expected
            case fanIn = "fan_in"
        }
    }

    static func matrix(_ rows: [[Double]]) -> Tensor<Double> {
        Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 })
    }

    @Test func goldenVectors() throws {
        struct File: Decodable {
            var computeAlignment: [GoldenCase]
            enum CodingKeys: String, CodingKey { case computeAlignment = "compute_alignment" }
        }
        let cases = try JSONDecoder().decode(File.self, from: ExponentLPGolden.data("alignment_cases.json")).computeAlignment
        #expect(cases.count >= 7)
        for golden in cases {
            let measured = AlignmentMeasurement.measure(
                z0: Self.matrix(golden.z0), w0: Self.matrix(golden.w0), z: Self.matrix(golden.z), w: Self.matrix(golden.w),
                fanIn: golden.fanIn)
            #expect(abs(measured.alpha - golden.expected["align_z0_dW"]!) < 1e-9, "\(golden.name) α \(measured.alpha)")
            #expect(abs(measured.omega - golden.expected["align_dZ_w0"]!) < 1e-9, "\(golden.name) ω \(measured.omega)")
            #expect(abs(measured.u - golden.expected["align_dZ_dW"]!) < 1e-9, "\(golden.name) u \(measured.u)")
        }
    }

    /// Spec §5.2 hand vectors.
    @Test func specVectors() {
        let z0 = Tensor<Double>(shape: [2, 4], scalars: [1, 2, 0, -1, 0.5, -1, 2, 1])
        let w0 = Tensor<Double>(shape: [3, 4], scalars: [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, -1, 1])
        let z = z0.adding(Tensor(shape: [2, 4], scalars: [0.1, 0, 0.2, 0, 0, 0.3, 0, -0.1]))
        let w = w0.adding(Tensor(shape: [3, 4], scalars: [0.05, 0.1, 0, 0, 0, 0, 0.2, 0, 0.1, 0, 0, -0.1]))
        let expectations: [(Int, [Double])] = [
            (4, [0.560529210803, 0.534101928328, 0.508829296454]),
            (32, [0.224211684321, 0.213640771331, 0.203531718582]),
            (1, [1.121058421606, 1.068203856657, 1.017658592909]),
        ]
        for (fanIn, expected) in expectations {
            let measured = AlignmentMeasurement.measure(z0: z0, w0: w0, z: z, w: w, fanIn: fanIn)
            #expect(isClose(measured.values, expected, tolerance: 1e-11), "fanIn \(fanIn): \(measured)")
        }
        let noActivationChange = AlignmentMeasurement.measure(z0: z0, w0: w0, z: z0, w: w, fanIn: 4)
        #expect(isClose(noActivationChange.values, [0.560529210803, 0, 0], tolerance: 1e-11))
        #expect(AlignmentMeasurement.measure(z0: z0, w0: w0, z: z0, w: w0, fanIn: 4) == Alignment(alpha: 0, omega: 0, u: 0))
        // Batched inputs [2, 1, 4] are rows like [2, 4].
        let batched = AlignmentMeasurement.measure(
            z0: z0.reshaped([2, 1, 4]), w0: w0, z: z.reshaped([2, 1, 4]), w: w, fanIn: 4)
        #expect(isClose(batched.values, [0.560529210803, 0.534101928328, 0.508829296454], tolerance: 1e-11))
    }

    @Test(arguments: [4, 64, 512])
    func rankOneAlignedUpdateGivesOne(width: Int) {
        let z0 = Tensor<Double>(repeating: 1, shape: [3, width])
        let measured = AlignmentMeasurement.measure(
            z0: z0, w0: Tensor(zeros: [5, width]), z: z0, w: Tensor(repeating: 0.01, shape: [5, width]), fanIn: width)
        #expect(abs(measured.alpha - 1) < 1e-12 && measured.omega == 0 && measured.u == 0)
    }

    @Test func independentRandomFactorsGiveAboutOneHalf() {
        var generator = SeededGenerator(seed: 5)
        let n = 1024
        let z0 = Tensor<Double>.randomNormal(shape: [32, n], mean: 0, standardDeviation: 1, using: &generator)
        let w0 = Tensor<Double>.randomNormal(shape: [n, n], mean: 0, standardDeviation: 1 / Double(n).squareRoot(), using: &generator)
        let dz = Tensor<Double>.randomNormal(shape: [32, n], mean: 0, standardDeviation: 0.01, using: &generator)
        let dw = Tensor<Double>.randomNormal(shape: [n, n], mean: 0, standardDeviation: 0.001, using: &generator)
        let measured = AlignmentMeasurement.measure(z0: z0, w0: w0, z: z0.adding(dz), w: w0.adding(dw), fanIn: n)
        for value in measured.values { #expect(abs(value - 0.5) < 0.01, "\(measured)") }
    }

    @Test func sanitisation() {
        #expect(AlignmentMeasurement.sanitized(.nan) == 0)
        #expect(AlignmentMeasurement.sanitized(.infinity) == 1)
        #expect(AlignmentMeasurement.sanitized(-.infinity) == 0)
        #expect(AlignmentMeasurement.sanitized(-0.25) == -0.25)
    }
}
