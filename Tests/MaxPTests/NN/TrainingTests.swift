import Foundation
import Testing
@testable import MaxP

@Suite("Training, checkpoints and names")
struct TrainingTests {
    func regressionBatch() -> (x: Tensor<Float>, y: Tensor<Float>) {
        var generator = SeededGenerator(seed: 21)
        return (.randomNormal(shape: [16, 8], using: &generator), .randomNormal(shape: [16, 4], using: &generator))
    }

    func makeMLP(seed: UInt64 = 1) -> MLP<Float> {
        var generator = SeededGenerator(seed: seed)
        return MLP(
            MLPConfiguration(inputDimension: 8, width: 32, depth: 2, outputDimension: 4, activation: .relu),
            using: &generator)
    }

    @Test func mlpOverfitsTinyBatch() throws {
        BLASThreads.set(1)
        let model = makeMLP()
        let (x, y) = regressionBatch()
        let trainer = Trainer(model: model, optimizer: Adam(module: model, learningRate: 1e-2))
        var losses: [Double] = []
        for _ in 0..<150 {
            losses.append(try trainer.step { tape in model(tape.input(x)).meanSquaredError(target: y) })
        }
        #expect(losses.last! < 0.1 * losses.first!, "loss \(losses.first!) → \(losses.last!)")
    }

    @Test func gptOverfitsTinyBatch() throws {
        BLASThreads.set(1)
        var generator = SeededGenerator(seed: 5)
        let config = GPTConfiguration(vocabulary: 13, width: 16, depth: 2, heads: 2, sequenceLength: 8)
        let model = GPTModel<Float>(config, using: &generator)
        let (batch, length) = (4, 8)
        let sequence = (0..<(batch * (length + 1))).map { _ in Int(generator.next() % 13) }
        var inputs: [Int] = [], targets: [Int] = []
        for b in 0..<batch {
            let row = Array(sequence[(b * (length + 1))..<((b + 1) * (length + 1))])
            inputs += row.dropLast()
            targets += row.dropFirst()
        }
        let trainer = Trainer(model: model, optimizer: AdamW(module: model, learningRate: 1e-2, weightDecay: 0))
        var losses: [Double] = []
        for _ in 0..<120 {
            losses.append(
                try trainer.step { tape in
                    model(tokens: inputs, batch: batch, seqLen: length, on: tape).crossEntropy(targets: targets)
                })
        }
        #expect(losses.last! < 0.1 * losses.first!, "loss \(losses.first!) → \(losses.last!)")
    }

    @Test func nonFiniteLossIsATypedError() {
        let model = makeMLP()
        let (x, _) = regressionBatch()
        let trainer = Trainer(model: model, optimizer: SGD(module: model, learningRate: 0.1))
        let before = model.stateDictionary()
        let nan = Tensor<Float>(repeating: .nan, shape: [16, 4])
        do {
            try trainer.step { tape in model(tape.input(x)).meanSquaredError(target: nan) }
            Issue.record("expected a non-finite loss error")
        } catch {
            guard case .nonFiniteLoss(let step, let value) = error else { return }
            #expect(step == 1 && value.isNaN)
            #expect("\(error)".contains("step 1"))
        }
        #expect(model.stateDictionary() == before)
        #expect(trainer.completedSteps == 0)
    }

    /// Trains 3 steps, checkpoints, trains 3 more; restores into a fresh model and optimizer and repeats the last 3
    /// steps: every parameter must be bitwise identical.
    @Test(arguments: ["adam", "adamw", "sgd"])
    func checkpointRestoreContinuesBitExactly(optimizerName: String) throws {
        BLASThreads.set(1)
        func makeOptimizer(_ model: MLP<Float>) -> any Optimizer<Float> {
            switch optimizerName {
            case "adam": return Adam(module: model, learningRate: 1e-2, weightDecay: 1e-3)
            case "adamw": return AdamW(module: model, learningRate: 1e-2, weightDecay: 0.1)
            default: return SGD(module: model, learningRate: 1e-2, weightDecay: 1e-3, momentum: 0.9, nesterov: true)
            }
        }
        let (x, y) = regressionBatch()
        func loss(_ model: MLP<Float>) -> (Tape<Float>) -> Variable<Float> {
            { tape in model(tape.input(x)).meanSquaredError(target: y) }
        }
        let model = makeMLP(seed: 1)
        let optimizer = makeOptimizer(model)
        let trainer = Trainer(model: model, optimizer: optimizer)
        for _ in 0..<3 { try trainer.step(loss: loss(model)) }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("maxp-checkpoint-\(optimizerName)-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint(model: model, optimizer: optimizer, step: trainer.completedSteps).write(to: url)
        for _ in 0..<3 { try trainer.step(loss: loss(model)) }

        let restored = makeMLP(seed: 99)
        let restoredOptimizer = makeOptimizer(restored)
        restoredOptimizer.groups[0].learningRate = 123  // overwritten by the checkpoint
        let checkpoint = try Checkpoint<Float>.read(from: url)
        let step = try checkpoint.restore(into: restored, optimizer: restoredOptimizer)
        #expect(step == 3)
        #expect(restoredOptimizer.groups[0].learningRate == 1e-2)
        let restoredTrainer = Trainer(model: restored, optimizer: restoredOptimizer, completedSteps: step)
        for _ in 0..<3 { try restoredTrainer.step(loss: loss(restored)) }

        let expected = model.stateDictionary(), actual = restored.stateDictionary()
        #expect(expected.keys.sorted() == actual.keys.sorted())
        for (name, tensor) in expected {
            let bits = tensor.scalars.map(\.bitPattern), restoredBits = actual[name]!.scalars.map(\.bitPattern)
            #expect(bits == restoredBits, "parameter \(name) differs after restore")
        }
        #expect(optimizer.saveState() == restoredOptimizer.saveState())
    }

    @Test func restoringIntoAnotherArchitectureFails() throws {
        let model = makeMLP()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-ckpt-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint(model: model).write(to: url)
        let checkpoint = try Checkpoint<Float>.read(from: url)

        var generator = SeededGenerator(seed: 2)
        let wider = MLP<Float>(
            MLPConfiguration(inputDimension: 8, width: 16, depth: 2, outputDimension: 4), using: &generator)
        let before = wider.stateDictionary()
        #expect {
            try checkpoint.restore(into: wider)
        } throws: { error in
            guard case .model(.shapeMismatch(let name, let expected, let found)) = error as? CheckpointError else { return false }
            return name == "fc_1.weight" && expected == [16, 8] && found == [32, 8]
        }
        #expect(wider.stateDictionary() == before)

        let deeper = MLP<Float>(
            MLPConfiguration(inputDimension: 8, width: 32, depth: 3, outputDimension: 4), using: &generator)
        #expect {
            try checkpoint.restore(into: deeper)
        } throws: { error in
            guard case .model(.missingParameter(let name)) = error as? CheckpointError else { return false }
            return name == "fc_3.weight"
        }
        #expect(throws: CheckpointError.self) { try Checkpoint<Double>.read(from: url) }
        #expect(throws: CheckpointError.self) { try checkpoint.restore(into: model, optimizer: SGD(module: model, learningRate: 1)) }
    }

    @Test func namesAndPaths() throws {
        var generator = SeededGenerator(seed: 1)
        let model = GPTModel<Float>(
            GPTConfiguration(vocabulary: 10, width: 8, depth: 2, heads: 2, sequenceLength: 4), using: &generator)
        let names = model.namedParameters().map(\.name)
        for expected in [
            "tok_emb.weight", "pos_emb.weight", "blocks.0.norm1.gain", "blocks.0.norm1.bias", "blocks.0.attn.q.weight",
            "blocks.0.attn.q.bias", "blocks.0.attn.o.weight", "blocks.1.mlp.fc_in.weight", "blocks.1.mlp.fc_out.bias",
            "norm_f.gain", "readout.weight",
        ] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        #expect(!names.contains("readout.bias"))
        #expect(Set(names).count == names.count)
        #expect(model.blocks[1].attn.k.path == "blocks.1.attn.k")
        #expect(model.blocks[0].attn.logitsSite == "blocks.0.attn.qk")
        #expect(model.blocks[0].attn.logitsWidth == 4)
        #expect(model.blocks[0].attn.logitsMultiplier == 0.25)
        #expect(model.blocks[0].mlp.fcIn.path == "blocks.0.mlp.fc_in")
        #expect(try model.parameter(named: "blocks.0.attn.q.weight").shape == [8, 8])
        #expect(throws: ModuleError.self) { try model.parameter(named: "blocks.2.attn.q.weight") }
        do {
            _ = try model.parameter(named: "blocks.0.attn.query.weight")
        } catch {
            #expect("\(error)".contains("blocks.0.attn.query.weight"))
        }

        let mlp = makeMLP()
        #expect(mlp.namedParameters().map(\.name) == [
            "fc_1.weight", "fc_1.bias", "fc_2.weight", "fc_2.bias", "readout.weight", "readout.bias",
        ])

        // Op call sites are scoped by module path, and parametrized ops are named by the layer path.
        model.blocks[0].attn.logitsRole = "readout"
        model.blocks[0].attn.q.role = "hidden"
        let tape = Tape<Float>()
        var events: [OpEvent<Float>] = []
        tape.observers.append { events.append($0) }
        _ = model(tokens: [1, 2, 3, 4], batch: 1, seqLen: 4, on: tape)
        let sites = Set(events.map(\.site))
        #expect(sites.contains("blocks.0.attn.qk"))
        #expect(sites.contains("blocks.0.attn.q"))
        #expect(sites.contains("blocks.0.attn.softmax"))
        #expect(events.first { $0.site == "blocks.0.attn.qk" }?.kind == .parametrized)
        #expect(events.first { $0.site == "blocks.0.attn.qk" }?.inputNodes.count == 2)
    }

    @Test func initializeWeightsByName() {
        var generator = SeededGenerator(seed: 4)
        let model = MLP<Double>(
            MLPConfiguration(inputDimension: 64, width: 256, depth: 2, outputDimension: 8), using: &generator)
        model.hiddenLayers[0].bias!.value = Tensor(repeating: 3, shape: [256])
        model.initializeWeights(
            standardDeviation: { $0.hasPrefix("readout") ? 0.0 : 0.5 }, using: &generator)
        #expect(model.hiddenLayers[0].bias!.value.maxAbsolute() == 0)
        #expect(abs(model.hiddenLayers[1].weight.value.rootMeanSquare() - 0.5) < 0.01)
        #expect(model.readout.weight.value.maxAbsolute() == 0)
        let norm = LayerNorm<Double>(width: 4)
        norm.initializeWeights(standardDeviation: { _ in nil }, using: &generator)
        #expect(norm.gain!.value.scalars == [1, 1, 1, 1])
    }
}
