import Foundation
import Testing
@testable import MaxP

/// The spec §9.1 `test_step` catalogue for ``AlignmentController``.
@Suite("Dynamic alignment: step")
struct DynamicStepTests {
    typealias Run = DynamicRun<Double>

    @Test func ratesChangeAfterUpdatesAndStayPositive() throws {
        let run = try Run()
        let controller = try run.controller()
        let initial = controller.learningRates
        let outcomes = try run.run(controller, steps: 1...5)
        #expect(outcomes.allSatisfy { $0 == .solved })
        #expect(controller.learningRates.values.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(controller.learningRates != initial)
        #expect(controller.completedSteps == 5)
    }

    @Test func warmupKeepsTheInitialRatesThenSolves() throws {
        let run = try Run()
        let controller = try run.controller(.init(warmupSteps: 3))
        let initial = controller.learningRates
        let outcomes = try run.run(controller, steps: 1...3)
        #expect(outcomes == [.warmup, .warmup, .warmup])
        #expect(controller.learningRates == initial)
        #expect(run.optimizerRates.filter { $0.key != "_other" } == initial)
        #expect(try run.run(controller, steps: 4...4) == [.solved])
        #expect(controller.learningRates != initial)
    }

    @Test func intervalIsCountedFromZero() throws {
        let run = try Run()
        let controller = try run.controller(.init(warmupSteps: 2, solveInterval: 3))
        let initial = controller.learningRates
        let outcomes = try run.run(controller, steps: 1...6)
        // k = 3 is the first solve (3 > warmup 2 and 3 mod 3 = 0), then k = 6.
        #expect(outcomes == [.warmup, .warmup, .solved, .skipped, .skipped, .solved])
        let rows = controller.history.records(of: "fc_2")
        #expect(rows[0].lr == initial["fc_2"] && rows[1].lr == initial["fc_2"])
        #expect(rows[3].c == rows[2].c && rows[4].c == rows[2].c)
    }

    @Test func errorsChangeNothing() throws {
        let run = try Run()
        let controller = try AlignmentController(parametrization: run.parametrization)
        #expect(throws: AlignmentControllerError.stepBeforeCapture) { try controller.step(sampleForward: run.sampleForward) }
        #expect(controller.completedSteps == 0)
        try controller.captureInitial(sampleForward: run.sampleForward, optimizer: run.optimizer)
        run.train(step: 1)
        #expect(throws: AlignmentControllerError.sampleForwardRequired(step: 1)) { try controller.step() }
        let wrong = Tensor<Double>(zeros: [3, 16])
        do {
            try controller.step(sampleForward: { [model = run.model] tape in _ = model(tape.input(wrong)) })
            Issue.record("a sample of the wrong shape must throw")
        } catch {
            #expect(error == .sampleShapeMismatch(op: "fc_1", captured: [8, 16], current: [3, 16]))
            #expect(error.description.contains("fc_1") && error.description.contains("[3, 16]"))
        }
        #expect(controller.completedSteps == 0 && controller.history.records.isEmpty)
        #expect(throws: AlignmentControllerError.self) { try AlignmentController(parametrization: run.parametrization, options: .init(solveInterval: 0)) }
        #expect(throws: AlignmentControllerError.self) { try AlignmentController(parametrization: run.parametrization, options: .init(cEMA: 1)) }
        #expect(throws: AlignmentControllerError.self) { try AlignmentController(parametrization: run.parametrization, options: .init(warmupSteps: -1)) }
        #expect(throws: AlignmentControllerError.self) { try AlignmentController(parametrization: run.parametrization, options: .init(sampleSize: 0)) }
    }

    @Test func capturesWeightedOpsWithSampleSizeRows() throws {
        let run = try Run(batch: 8)
        let controller = try run.controller(.init(sampleSize: 4))
        #expect(controller.capturedOps == ["fc_1", "fc_2", "readout"])
        #expect(controller.snapshots.allSatisfy { $0.initialInputs.shape[0] == 4 })
        #expect(controller.snapshots[1].initialWeight?.shape == run.model.hiddenLayers[1].weight.shape)
    }

    @Test func presetsAreTheStartingAlignments() throws {
        let full = try Run().controller()
        #expect(full.alignments.values.allSatisfy { $0 == Alignment(alpha: 1, omega: 0.5, u: 1) })
        let no = try Run(configuration: .init(.mup, optimizer: .adam, alignment: .no, lrPrefactor: 0.02)).controller()
        #expect(no.alignments.values.allSatisfy { $0 == Alignment(alpha: 0.5, omega: 0.5, u: 0.5) })
    }

    @Test func extremeAlignmentIsInfeasible() throws {
        let run = try Run()
        let huge = Alignment(alpha: 100, omega: 100, u: 100)
        run.parametrization.setAlignments(["fc_1": huge, "fc_2": huge, "readout": huge])
        #expect(throws: ParametrizationError.self) { try run.parametrization.resolve() }
    }

    @Test func infeasibleResolveKeepsPreviousRatesAndRecovers() throws {
        let run = try Run()
        let controller = try run.controller()
        try run.run(controller, steps: 1...1)
        let before = controller.learningRates
        let cBefore = controller.c
        controller.solver = { p in
            let huge = Alignment(alpha: 100, omega: 100, u: 100)
            p.setAlignments(Dictionary(uniqueKeysWithValues: p.ops.map { ($0.opName, huge) }))
            try p.resolve()
        }
        let outcome = try run.run(controller, steps: 2...2)[0]
        guard case .solveFailed(let message) = outcome else {
            Issue.record("expected a failed solve, got \(outcome)")
            return
        }
        #expect(message.contains("fc_") || message.contains("infeasible"))
        #expect(controller.learningRates == before && controller.c == cBefore)
        #expect(run.optimizerRates.filter { $0.key != "_other" } == before)
        #expect(controller.events.last?.kind == .resolveFailed && controller.events.last?.step == 2)
        controller.solver = { try $0.resolve() }
        #expect(try run.run(controller, steps: 3...3) == [.solved])
        #expect(controller.c != cBefore)
    }

    @Test func alignmentIsFiniteAfterSteps() throws {
        let run = try Run()
        let controller = try run.controller()
        try run.run(controller, steps: 1...3)
        for name in controller.capturedOps {
            let a = controller.alignments[name]!
            #expect(a.alpha.isFinite && a.omega.isFinite && a.u.isFinite)
        }
        // fc_1's inputs are the fixed sample: ω = u = 0.
        #expect(controller.alignments["fc_1"]!.omega == 0 && controller.alignments["fc_1"]!.u == 0)
    }

    @Test func fixedCStaysFixed() throws {
        let run = try Run(configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.02, cOverrides: ["embedding": 0.5, "hidden": 1, "readout": 0.5]))
        let controller = try run.controller()
        let initial = controller.learningRates
        try run.run(controller, steps: 1...3)
        #expect(controller.c == ["fc_1": 0.5, "fc_2": 1, "readout": 0.5])
        #expect(controller.learningRates == initial)
    }

    @Test func alignmentEMABlendsWithThePreviousValue() throws {
        let plain = try Run()
        let smoothed = try Run()
        let a = try plain.controller()
        let b = try smoothed.controller(.init(alignmentEMA: 0.5))
        try plain.run(a, steps: 1...1)
        try smoothed.run(b, steps: 1...1)
        let preset = Alignment(alpha: 1, omega: 0.5, u: 1)
        for name in a.capturedOps {
            let fresh = a.alignments[name]!, blended = b.alignments[name]!
            #expect(abs(blended.alpha - (0.5 * preset.alpha + 0.5 * fresh.alpha)) < 1e-12)
            #expect(abs(blended.omega - (0.5 * preset.omega + 0.5 * fresh.omega)) < 1e-12)
            #expect(abs(blended.u - (0.5 * preset.u + 0.5 * fresh.u)) < 1e-12)
        }
    }

    @Test func cEMAMovesTowardTheTargets() throws {
        let run = try Run()
        let controller = try run.controller(.init(cEMA: 0.75))
        let c0 = controller.c
        try run.run(controller, steps: 1...1)
        for name in controller.layerNames {
            #expect(abs(controller.c[name]! - (0.75 * c0[name]! + 0.25 * controller.cTargets[name]!)) < 1e-12)
        }
        #expect(controller.c != controller.cTargets)
    }

    @Test func pinnedOpsKeepTheirAlignment() throws {
        let pinned = Alignment(alpha: 0.7, omega: 0.3, u: 0.8)
        let run = try Run(configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.02, alignmentOverrides: ["fc_2": pinned]))
        let controller = try run.controller(.init(alignmentEMA: 0.9))
        try run.run(controller, steps: 1...3)
        #expect(controller.alignments["fc_2"] == pinned)
        #expect(run.parametrization.alignments["fc_2"] == pinned)
        #expect(controller.alignments["readout"] != Alignment(alpha: 1, omega: 0.5, u: 1))
    }

    @Test func measureOnlyRecordsWithoutResolving() throws {
        let pinned = Alignment(alpha: 0.7, omega: 0.3, u: 0.8)
        let run = try Run(configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.02, alignmentOverrides: ["fc_2": pinned]))
        let controller = try run.controller(.init(measureOnly: true))
        let initial = controller.learningRates
        #expect(try run.run(controller, steps: 1...3) == [.measured, .measured, .measured])
        #expect(controller.learningRates == initial)
        #expect(controller.alignments["fc_2"] != pinned)  // measured anyway
        #expect(run.parametrization.alignments["fc_2"] == pinned)
    }

    @Test func resampledInitialWeightsAreBitIdentical() throws {
        let run = try Run()
        for op in run.parametrization.ops {
            let regenerated = try #require(run.parametrization.initialWeight(of: op.opName))
            let current = op.scaledWeight!.value
            #expect(regenerated.scalars.map(\.bitPattern) == current.scalars.map(\.bitPattern))
        }
        let stored = try Run()
        let resampled = try Run()
        let a = try stored.controller()
        let b = try resampled.controller(.init(resampleW0: true))
        #expect(b.snapshots.allSatisfy { $0.initialWeight == nil })
        try stored.run(a, steps: 1...3)
        try resampled.run(b, steps: 1...3)
        #expect(a.alignments == b.alignments)
        #expect(a.history == b.history)
    }

    @Test func resampleRefusesAWeightItCannotRegenerate() throws {
        let run = try Run()
        run.model.hiddenLayers[1].weight.value.scale(by: 2)
        let controller = try AlignmentController(parametrization: run.parametrization, options: .init(resampleW0: true))
        #expect(throws: AlignmentControllerError.initialWeightNotRegenerable(op: "fc_2")) {
            try controller.captureInitial(sampleForward: run.sampleForward)
        }
        #expect(!controller.isCaptured)
    }

    @Test func trainingActivationsReplaceTheCaptureForward() throws {
        let run = try Run()
        let controller = try run.controller(.init(useTrainingActivations: true))
        run.train(step: 1)
        #expect(throws: AlignmentControllerError.noTrainingActivations(step: 1)) { try controller.step(optimizer: run.optimizer) }
        for k in 1...4 {
            let loss = run.train(step: k, observe: { controller.recordActivations(on: $0) })
            #expect(try controller.step(optimizer: run.optimizer, loss: loss) == .solved)
        }
        // The first layer's input is the training batch, not the captured sample: ω and u are measured.
        #expect(controller.alignments["fc_1"]!.omega != 0)
        #expect(controller.learningRates.values.allSatisfy { $0 > 0 && $0.isFinite })
    }

    @Test func optimizerRatesAreSynced() throws {
        let run = try Run()
        let controller = try run.controller()
        try run.run(controller, steps: 1...2)
        for name in controller.layerNames {
            #expect(run.optimizerRates[name] == run.parametrization.learningRate(for: name))
            #expect(run.optimizer.groups.first { $0.name == name }?.c == controller.c[name])
        }
        // Without an optimizer only the parametrization changes.
        run.train(step: 3)
        try controller.step(sampleForward: run.sampleForward)
        #expect(controller.learningRates["fc_2"] == run.parametrization.learningRate(for: "fc_2"))
    }

    @Test func historyExportsOneRowPerLayerPerStep() throws {
        let run = try Run()
        let controller = try run.controller()
        try run.run(controller, steps: 1...4)
        let lines = controller.history.csv.split(separator: "\n")
        #expect(lines.first == "step,layer,alpha,omega,u,c,lr,loss")
        #expect(lines.count == 1 + 3 * 4)
        #expect(lines[1].hasPrefix("1,fc_1,"))
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 8 })
        let json = try JSONSerialization.jsonObject(with: controller.history.jsonData()) as? [[String: Any]]
        #expect(json?.count == 12)
        #expect(json?.last?["layer"] as? String == "readout")
        #expect(controller.history.steps == [1, 2, 3, 4])
    }
}
