import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

/// The public ``CoordCheck`` runner on a model that is not built in (the README's / `Examples/CustomModel`'s
/// residual SwiGLU net, smaller): declared exponents, kinds and graph come from the markings and the tape; a
/// cancelled readout multiplier is diagnosed with the fix `width^-0.5`; name collisions are errors.
@Suite("Custom-model coord check")
struct CustomModelRunnerTests {
    /// Input projection, one pre-LayerNorm residual SwiGLU block, readout.
    final class SwiGLUNet: Module {
        typealias Scalar = Float
        var path = ""
        let proj, gate, up, down, readout: Linear<Float>
        let norm: LayerNorm<Float>

        init(inputs: Int, width: Int, classes: Int, readoutScale: Double? = nil, projectionName: String = "proj") {
            var g = SeededGenerator(seed: 0)
            proj = Linear(inputFeatures: inputs, outputFeatures: width, bias: false, using: &g, initialization: .deferred)
            gate = Linear(inputFeatures: width, outputFeatures: 2 * width, bias: false, using: &g, initialization: .deferred)
            up = Linear(inputFeatures: width, outputFeatures: 2 * width, bias: false, using: &g, initialization: .deferred)
            down = Linear(inputFeatures: 2 * width, outputFeatures: width, bias: false, using: &g, initialization: .deferred)
            readout = Linear(inputFeatures: width, outputFeatures: classes, bias: false, using: &g, initialization: .deferred)
            norm = LayerNorm(width: width)
            self.projectionName = projectionName
            assignPaths()
            proj.role = LayerRole.embedding.rawValue
            for layer in [gate, up, down] { layer.role = LayerRole.hidden.rawValue }
            readout.role = LayerRole.readout.rawValue
            readout.marking?.outputScale = readoutScale
        }
        let projectionName: String

        var submodules: [(name: String, module: any Module<Float>)] {
            [(projectionName, proj), ("norm", norm), ("gate", gate), ("up", up), ("down", down), ("readout", readout)]
        }

        func callAsFunction(_ x: Variable<Float>) -> Variable<Float> {
            let h = proj(x)
            let n = norm(h)
            return readout(h + down(gate(n).silu() * up(n)))
        }
    }

    static let task = TeacherStudentTask(inputDimension: 8, classes: 4, seed: 0)

    static func check(bug: Bool = false, projectionName: String = "proj") -> CoordCheck {
        CoordCheck(widths: [32, 64, 128, 256], seeds: [0, 1, 2], steps: 1,
                   training: TrainingOptions(learningRate: 1e-2, baseWidth: 32), description: "SwiGLUNet") { width, seed in
            let model = SwiGLUNet(inputs: 8, width: width, classes: 4,
                                  readoutScale: bug ? Double(width).squareRoot() : nil, projectionName: projectionName)
            return CoordCheckNetwork(model, classifying: task.batch(size: 16, index: seed)) { model($0) }
        }
    }

    @Test func markingsAndTheTapeGiveKindsExponentsAndGraph() throws {
        let result = try Self.check().run()
        let ops = Dictionary(uniqueKeysWithValues: result.table.metadata.ops.map { ($0.op, $0) })
        #expect(ops["proj"]?.kind == "embedding" && ops["gate"]?.kind == "hidden" && ops["readout"]?.kind == "readout")
        #expect(ops["readout"]?.exponents?.a == 0.5 && ops["proj"]?.exponents?.contractsOverWidth == false)
        #expect(ops["add"]?.inputs.contains("proj") == true && ops["add"]?.inputs.contains("down") == true)
        #expect(result.table.rows.count == 4 * 3 * 2 * result.table.metadata.ops.count)
        let report = result.slopeReport()
        #expect(!report.ops.contains { $0.verdict.isDeviation }, "\(EngineFixtures.listing(report) { $0.verdict.isDeviation })")
        // Deterministic: one job after another gives the same table.
        #expect(try Self.check().run(parallel: false).table == result.table)
        #expect(result.movement.first { $0.op == "readout" }.map { $0.relativeChange > 0.01 } == true)
    }

    @Test func aCancelledReadoutMultiplierIsDiagnosed() throws {
        let report = try Self.check(bug: true).run().slopeReport()
        let readout = try #require(report.entry(op: "readout", t: 0, statistic: .l1))
        #expect(readout.verdict == .grows)
        #expect(abs((readout.suggestedDeltaA ?? 0) - 0.5) < 0.15, "\(EngineFixtures.listing(report))")
    }

    @Test func gradientSizesMatchTheCrossEntropyClosedForm() throws {
        var check = Self.check()
        check.widths = [32, 64, 128]
        check.seeds = [0]
        check.recordsGradients = true
        let rows = try check.run(parallel: false).table.rows
        #expect(rows.filter { $0.t == 1 }.allSatisfy { $0.gradient == nil }, "t = T has no backward pass")
        let measured = try #require(rows.first { $0.op == "readout" && $0.t == 0 && $0.axisValue == 32 }?.gradient)
        // d mean-CE / d logits = (softmax − onehot) / N, from the untrained model's logits.
        let model = try check.buildModel(for: SweepJob(axisValue: 32, seed: 0))
        let logits = model.forward(on: Tape<Float>(recordsGradients: false)).value
        guard case let .features(_, labels) = Self.task.batch(size: 16, index: 0) else { Issue.record("features"); return }
        let classes = 4
        var sumAbs = 0.0, sumSquares = 0.0
        for row in 0..<labels.count {
            let z = (0..<classes).map { Double(logits.scalars[row * classes + $0]) }
            let m = z.max()!, e = z.map { Foundation.exp($0 - m) }, total = e.reduce(0, +)
            for k in 0..<classes {
                let g = (e[k] / total - (k == labels[row] ? 1 : 0)) / Double(labels.count)
                sumAbs += abs(g); sumSquares += g * g
            }
        }
        let n = Double(labels.count * classes)
        #expect(abs(measured.l1 - sumAbs / n) < 1e-6 * (sumAbs / n) + 1e-9)
        #expect(abs(measured.rms - (sumSquares / n).squareRoot()) < 1e-5 * measured.rms + 1e-9)
        #expect(try Self.check().run().table.rows.allSatisfy { $0.gradient == nil }, "off by default")
    }

    @Test func aLayerNamedInputCollidesWithTheDataLeaf() throws {
        #expect(throws: ModelBuildError.nameCollision(op: "input", other: "the data leaf `input` (`tape.input` names its leaf `input`)")) {
            try Self.check(projectionName: "input").run(parallel: false)
        }
    }

    @Test func aFactoryErrorIsReportedWithItsJob() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "no such layer" } }
        let check = CoordCheck(widths: [8, 16, 32], seeds: [0], steps: 0, description: "broken") { _, _ in throw Broken() }
        #expect(throws: ModelBuildError.model("width 32, seed 0: no such layer")) { try check.run(parallel: false) }
    }
}
