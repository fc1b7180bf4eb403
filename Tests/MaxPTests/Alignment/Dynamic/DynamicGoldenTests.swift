import Foundation
import Testing
import _MaxPTestSupport
@testable import MaxP

/// The reference run of `alignment_cases.json` → `dynamic_trace`: emb(16→64) relu h1 relu h2 relu head(64→4), µP
/// Adam full alignment, lr prefactor 0.5, a fixed batch of 32, `step(x, optimizer)` after every update. Its numbers
/// depend on PyTorch's RNG, so initial c is compared exactly and our own run qualitatively: hidden α in [0.6, 0.9],
/// every c moving in the reference's direction, hidden c near 0.75, head c below its initial 0.5.
@Suite("Dynamic alignment: golden trace")
struct DynamicGoldenTests {
    static func trace() throws -> [String: Any] {
        let url = TestFixtures.golden("alignment_cases.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require(object?["dynamic_trace"] as? [String: Any])
    }

    @Test func referenceModelMatchesQualitatively() throws {
        let trace = try Self.trace()
        let names = ["emb": "fc_1", "h1": "fc_2", "h2": "fc_3", "head": "readout"]
        let initial = try #require(trace["initial_c"] as? [String: Double])
        let steps = try #require(trace["steps"] as? [[String: Any]])

        var g = SeededGenerator(seed: 7)
        let model = MLP<Double>(MLPConfiguration(inputDimension: 16, width: 64, depth: 3, outputDimension: 4), using: &g)
        model.markStandardRoles()
        let p = try Parametrization(model: model, configuration: .init(.mup, optimizer: .adam, alignment: .full, lrPrefactor: 0.5))
        for (reference, ours) in names { #expect(p.c[ours] == initial[reference], "initial c of \(reference)") }

        let x = Tensor<Double>.randomNormal(shape: [32, 16], using: &g)
        let teacher = Tensor<Double>.randomNormal(shape: [4, 16], using: &g)
        let logits = x.matrixProduct(teacher, transposeOther: true)
        let labels = (0..<32).map { row in (0..<4).max { logits.scalars[row * 4 + $0] < logits.scalars[row * 4 + $1] }! }
        let optimizer = Adam(groups: p.parameterGroups())
        let controller = try AlignmentController(parametrization: p)
        let forward: (Tape<Double>) -> Void = { tape in _ = model(tape.input(x)) }
        try controller.captureInitial(sampleForward: forward, optimizer: optimizer)
        var losses: [Double] = []
        for _ in steps {
            model.zeroGradients()
            do {
                let tape = Tape<Double>()
                let loss = model(tape.input(x)).crossEntropy(targets: labels)
                losses.append(loss.value.scalars[0])
                loss.backward()
            }
            optimizer.step()
            #expect(try controller.step(sampleForward: forward, optimizer: optimizer, loss: losses.last!) == .solved)
        }
        #expect(losses.last! < losses.first!)
        for (index, reference) in steps.enumerated() {
            let referenceC = try #require(reference["c"] as? [String: Double])
            let rows = controller.history.records.filter { $0.step == index + 1 }
            func row(_ name: String) -> AlignmentHistory.Record { rows.first { $0.layer == names[name]! }! }
            for hidden in ["h1", "h2"] {
                #expect((0.6...0.9).contains(row(hidden).alpha), "step \(index + 1) \(hidden) α = \(row(hidden).alpha)")
                #expect(abs(row(hidden).c - 0.75) < 0.1, "step \(index + 1) \(hidden) c = \(row(hidden).c)")
            }
            #expect(row("emb").omega == 0 && row("emb").u == 0)  // the input never changes
            for (name, c0) in initial {
                let ours = row(name).c - c0, theirs = referenceC[name]! - c0
                #expect(ours.sign == theirs.sign, "step \(index + 1) \(name): ours Δc = \(ours), reference \(theirs)")
            }
            #expect(row("head").c < 0.5)
        }
    }
}
