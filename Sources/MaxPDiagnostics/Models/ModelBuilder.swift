import Foundation
import MaxP

/// Builds a built-in model at one swept value and seed, applies the declared parametrization, plants a fault and
/// applies exponent corrections.
///
/// - `mlp`: ``MLP`` `inputDimension → width … → outputDimension`, ReLU, no bias, roles by `markStandardRoles()`
///   (`fc_1` embedding, `fc_2…` hidden, `readout` readout).
/// - `gpt`: ``GPTModel`` without biases, roles by `markStandardRoles(logitsA:)`; the head count is fixed, so
///   `d_head = width / heads` grows with width. Attention logits use `a = 1` (`1/d_head`) except under `sp`
///   (`a = ½`, the usual `1/√d_head`).
/// - `sp` is a plain torch-like model: no multipliers, hidden/readout init `1/√fan_in` (the named table `sp`),
///   the MLP's input layer re-drawn at `1/√fan_in` too, every learning rate the global one (`c = 0`).
///
/// Weights are not drawn at construction (`initialization: .deferred`): after `markStandardRoles()` every embedding
/// and linear weight of both families is a parametrized op, and the ``Parametrization`` re-draws all of them from
/// its own seed (under every named parametrization, `sp` included), so a first draw would be thrown away.
///
/// Seeds: the initialization seed is derived from `(axis value, seed)` only, so a job's weights do not depend on
/// which other jobs run or in which order.
public enum ModelBuilder {
    /// Builds the model for `axisValue` on `axis` with run seed `seed`.
    public static func build(options: ModelOptions, training: TrainingOptions, axis: SweepAxis, axisValue: Int,
                             seed: Int, fault: Fault? = nil,
                             corrections: ExponentCorrections = ExponentCorrections()) throws(ModelBuildError) -> BuiltModel {
        let width = axis == .width ? axisValue : options.width
        let depth = axis == .depth ? axisValue : options.depth
        let heads = axis == .heads ? axisValue : options.heads
        let name = training.parametrization
        var generator = SeededGenerator.derived(from: 0x5EED_C00D, axisValue, seed)
        let initializationSeed = generator.next()

        let module: any Module<Float>
        let forward: (Tape<Float>, TaskBatch) -> Variable<Float>
        let sample: (Tape<Float>) -> Void
        switch options.family {
        case .mlp:
            let mlp = MLP<Float>(MLPConfiguration(inputDimension: options.inputDimension, width: width, depth: depth,
                                                  outputDimension: options.outputDimension, activation: .relu,
                                                  bias: false), using: &generator, initialization: .deferred)
            mlp.markStandardRoles()
            module = mlp
            let inputDimension = options.inputDimension
            forward = { tape, batch in
                guard case let .features(x, _) = batch else { preconditionFailure("MLP needs a feature batch") }
                return mlp(tape.input(x, requiresGradient: false))
            }
            sample = { tape in _ = mlp(tape.input(Tensor(zeros: [1, inputDimension]))) }
        case .gpt:
            guard width % heads == 0 else {
                throw .invalidOption(option: "--widths", reason: "width \(width) is not divisible by \(heads) heads")
            }
            let gpt = GPTModel<Float>(GPTConfiguration(vocabulary: options.vocabulary, width: width, depth: depth,
                                                       heads: heads, sequenceLength: options.sequenceLength,
                                                       mlpRatio: 4, bias: false, inverseHeadDimensionLogits: true),
                                      using: &generator, initialization: .deferred)
            gpt.markStandardRoles(logitsA: name == .sp ? 0.5 : 1)
            module = gpt
            let sampleLength = min(4, options.sequenceLength)
            forward = { tape, batch in
                guard case let .tokens(tokens, _, rows, length) = batch else { preconditionFailure("GPT needs a token batch") }
                return gpt(tokens: tokens, batch: rows, seqLen: length, on: tape)
            }
            sample = { tape in
                _ = gpt(tokens: Array(repeating: 0, count: sampleLength), batch: 1, seqLen: sampleLength, on: tape)
            }
        }

        var configuration = ParametrizationConfiguration(
            name, optimizer: training.optimizer, alignment: .full, lrPrefactor: training.learningRate,
            initializationSeed: initializationSeed)
        if name == .sp {
            configuration.cOverrides = Dictionary(uniqueKeysWithValues: configuration.abTable.keys.map { ($0, 0.0) })
        }
        let parametrization: Parametrization<Float>
        do {
            parametrization = try withModule(module) { model throws(ParametrizationError) in
                try Parametrization(model: model, configuration: configuration, sampleForward: sample)
            }
        } catch {
            throw .parametrization(error.description)
        }
        if name == .sp, options.family == .mlp, let first = parametrization.ops.first(where: { $0.opName == "fc_1" }),
           let weight = first.scaledWeight {
            var redraw = SeededGenerator.derived(from: initializationSeed, 0xF1)
            weight.value = .randomNormal(shape: weight.shape,
                                         standardDeviation: Float(1 / Double(options.inputDimension).squareRoot()),
                                         using: &redraw)
        }

        let optimizer: any Optimizer<Float>
        switch training.optimizer {
        case .adam: optimizer = Adam(groups: parametrization.parameterGroups())
        case .sgd: optimizer = SGD(groups: parametrization.parameterGroups())
        case .adafactor: throw .unsupportedOptimizer(training.optimizer.rawValue)
        }

        let ops = Dictionary(uniqueKeysWithValues: parametrization.ops.map { ($0.opName, $0) })
        func opWidth(_ name: String) -> Double { Double(parametrization.exponents[name]?.width ?? 1) }
        if let fault {
            let targets = fault.targetOps(family: options.family, depth: depth)
            guard !targets.isEmpty, targets.allSatisfy({ ops[$0] != nil }) else {
                throw .faultNotApplicable(fault: fault, reason: "the \(options.family.rawValue) model has no such op"
                    + (fault == .attentionSqrtD ? " (attention needs --model gpt)" : "")
                    + (fault == .hiddenLRUnscaled && options.family == .mlp ? " (needs --depth ≥ 2 for a hidden layer)" : ""))
            }
            for target in targets {
                let declaredA = parametrization.exponents[target]!.ab.a
                switch fault {
                case .missingReadoutMultiplier, .embeddingMultiplier:
                    guard declaredA != 0 else {
                        throw .faultNotApplicable(fault: fault, reason: "`\(target)` already has a = 0 under \(name.rawValue), so there is no multiplier to drop")
                    }
                    ops[target]!.multiplier = 1
                case .attentionSqrtD:
                    guard declaredA != 0.5 else {
                        throw .faultNotApplicable(fault: fault, reason: "`\(target)` is already scaled by 1/√d_head under \(name.rawValue)")
                    }
                    ops[target]!.multiplier = Float(Foundation.pow(opWidth(target), -0.5))
                case .hiddenLRUnscaled:
                    guard let c = parametrization.c[target], c != 0 else {
                        throw .faultNotApplicable(fault: fault, reason: "`\(target)`'s learning rate is already not width-scaled (c = 0) under \(name.rawValue)")
                    }
                    optimizer.setLearningRate(parametrization.lrPrefactor, forGroup: target)
                }
            }
        }
        for (target, deltaA) in corrections.deltaA.sorted(by: { $0.key < $1.key }) where deltaA != 0 {
            guard let op = ops[target] else {
                throw .invalidOption(option: "--autofix", reason: "no parametrized op named `\(target)`")
            }
            op.multiplier *= Float(Foundation.pow(opWidth(target), -deltaA))
        }
        for (target, deltaC) in corrections.deltaC.sorted(by: { $0.key < $1.key }) where deltaC != 0 {
            guard let index = optimizer.groups.firstIndex(where: { $0.name == target }) else {
                throw .invalidOption(option: "--autofix", reason: "no learning-rate group named `\(target)`")
            }
            optimizer.groups[index].learningRate *= Foundation.pow(opWidth(target), -deltaC)
        }

        var declared: [String: ParametrizedExponents] = [:]
        var kinds: [String: String] = [:]
        for op in parametrization.ops {
            let opName = op.opName
            let (role, _, ab) = parametrization.exponents[opName]!
            let isLogits = op.scaledWeight == nil
            kinds[opName] = isLogits ? "attention_logits" : role.rawValue
            if axis == .width {
                declared[opName] = ParametrizedExponents(
                    a: ab.a, b: isLogits ? 0 : ab.b, r: parametrization.r[opName] ?? 0,
                    contractsOverWidth: role != .embedding, hasWeight: !isLogits,
                    isZeroInitialized: configuration.stdPrefactor == 0 && !isLogits)
            } else {
                // Width exponents do not move on a depth / heads axis: expect flat sizes and bounded changes.
                declared[opName] = ParametrizedExponents(a: 0, b: 0, r: 0, contractsOverWidth: false, hasWeight: !isLogits)
            }
        }
        return BuiltModel(family: options.family, axisValue: axisValue, module: module, parametrization: parametrization,
                          optimizer: optimizer, declaredExponents: declared, parametrizedKinds: kinds, forward: forward)
    }

    /// Opens the existential so `Parametrization(model:)` gets a concrete module type.
    private static func withModule<R>(_ module: any Module<Float>,
                                      _ body: (any Module<Float>) throws(ParametrizationError) -> R) throws(ParametrizationError) -> R {
        try body(module)
    }
}
