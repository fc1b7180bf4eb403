import Foundation
import MaxP

/// The one path from a network to a trainable, measurable model, taken by every command (`coord-check`,
/// `lr-transfer`, `train`, `solve --model`) and by the public ``CoordCheck`` runner.
///
/// 1. per-op options (zero-init, σ, output constants) become the ops' markings;
/// 2. the ``Parametrization`` is applied (traced from the network's forward pass; `sp` gets one global learning
///    rate, `c = 0` for every role; with a base width, mup's base shapes ``BaseWidth``);
/// 3. the optimizer is built over its groups;
/// 4. declared exponents and kinds are derived from the markings: a parameter-free marked op is
///    `attention_logits` with `b = 0`; a source (embedding role) does not contract over the width; on a depth or
///    heads axis the width exponents are zero (a depth axis is judged by ``DepthTheory`` instead); with
///    ``TrainingOptions/depthAlpha``, depth-µP (``DepthScaling``) for the model's depth: CompleteP's branch
///    multipliers, depth-scaled learning rates of the hidden weights and the blocks' norms, and Adam's ε
///    `ε · m_N^-1 · (L/L₀)^-α` inside the blocks (``ParameterGroup/epsilonMultiplier``); Adam's β₁, β₂ and ε
///    are ``TrainingOptions/adamHyperparameters``.
public enum ModelEngine {
    /// Parametrizes `network` (see the type's documentation). `modelWidth` is the model's width (for the base
    /// width); `widthAxis` whether the sweep varies it; `trainable: false` builds no optimizer (LP tables only).
    ///
    /// `modelDepth` is the number of residual blocks depth-µP (``TrainingOptions/depthAlpha``) scales with; a
    /// network of unknown depth (`nil`) cannot take depth-µP.
    public static func parametrize(_ network: CoordCheckNetwork, training: TrainingOptions, axisValue: Int,
                                   modelWidth: Int, modelDepth: Int? = nil, widthAxis: Bool = true,
                                   initializationSeed: UInt64,
                                   trainable: Bool = true) throws(ModelBuildError) -> BuiltModel {
        try training.validate(training: trainable)
        if training.depthAlpha != nil && modelDepth == nil {
            throw .invalid(setting: .depthAlpha, reason: "depth-µP needs the model's depth (number of residual blocks), which this network does not give")
        }
        let name = training.parametrization
        try applyOpOptions(training.ops, to: network.module)
        var configuration = ParametrizationConfiguration(
            name, optimizer: training.optimizer, alignment: training.alignment, lrPrefactor: training.learningRate,
            stdPrefactor: training.initStd ?? training.initScale, initializationSeed: initializationSeed,
            base: training.baseWidth.map { BaseWidth(base: $0, width: modelWidth) })
        configuration.depth = modelDepth.flatMap { training.depthScaling(depth: $0) }
        if name == .sp {
            configuration.cOverrides = Dictionary(uniqueKeysWithValues: configuration.abTable.keys.map { ($0, 0.0) })
        }
        if training.initStd != nil { fixInitStd(of: network.module, configuration: configuration) }
        try DeclaredOverrides.apply(training.overrides, to: network.module)
        let trace = network.trace ?? { [network] tape in _ = network.forward(tape) }
        let parametrization: Parametrization<Float>
        do {
            parametrization = try withModule(network.module) { model throws(ParametrizationError) in
                try Parametrization(model: model, configuration: configuration, sampleForward: trace)
            }
        } catch {
            guard training.overrides.isEmpty else {
                throw .invalid(setting: .override, reason: "the declared exponents "
                    + training.overrides.map { "`\($0)`" }.joined(separator: ", ") + " are impossible: \(error.description)")
            }
            throw .parametrization(error.description)
        }
        network.afterParametrization?(parametrization)

        let groups = parametrization.parameterGroups(weightDecay: training.weightDecay)
        var optimizer: any Optimizer<Float>
        switch training.optimizer {
        case .adam:
            let (beta1, beta2, epsilon) = training.adamHyperparameters
            optimizer = training.weightDecay > 0
                ? AdamW(groups: groups, beta1: beta1, beta2: beta2, epsilon: epsilon)
                : Adam(groups: groups, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case .sgd: optimizer = SGD(groups: groups)
        case .adafactor: optimizer = Adafactor(groups: groups)
        }
        if let clip = training.gradientClip { optimizer = GradientNormClipping(optimizer, maxNorm: clip) }

        var declared: [String: ParametrizedExponents] = [:]
        var kinds: [String: String] = [:]
        for op in parametrization.ops {
            let opName = op.opName
            let (role, _, ab) = parametrization.exponents[opName]!
            let isLogits = op.scaledWeight == nil
            kinds[opName] = isLogits ? "attention_logits" : role.rawValue
            let zero = !isLogits && (op.marking?.initScale ?? configuration.stdPrefactor) == 0
            if widthAxis {
                declared[opName] = ParametrizedExponents(
                    a: ab.a, b: isLogits ? 0 : ab.b, r: parametrization.r[opName] ?? 0,
                    contractsOverWidth: role != .embedding && !network.fixedWidthOps.contains(opName),
                    hasWeight: !isLogits, isZeroInitialized: zero,
                    sharesInputWeight: parametrization.tiedWeights.contains { $0.sharer == opName })
            } else {
                // Width exponents do not move on a depth / heads axis: expect flat sizes and bounded changes.
                declared[opName] = ParametrizedExponents(a: 0, b: 0, r: 0, contractsOverWidth: false, hasWeight: !isLogits,
                                                         isZeroInitialized: zero)
            }
        }
        return BuiltModel(axisValue: axisValue, network: network, parametrization: parametrization, optimizer: optimizer,
                          declaredExponents: declared, parametrizedKinds: kinds)
    }

    /// Applies exponent corrections (``AutoFix``): per op, output × `width^-Δa`, learning rate × `width^-Δc`.
    public static func apply(_ corrections: ExponentCorrections, to model: BuiltModel) throws(ModelBuildError) {
        let parametrization = model.parametrization
        let ops = Dictionary(uniqueKeysWithValues: parametrization.ops.map { ($0.opName, $0) })
        func opWidth(_ name: String) -> Double { Double(parametrization.exponents[name]?.width ?? 1) }
        for (target, deltaA) in corrections.deltaA.sorted(by: { $0.key < $1.key }) where deltaA != 0 {
            guard let op = ops[target] else {
                throw .invalid(setting: .corrections, reason: "no parametrized op named `\(target)`")
            }
            op.multiplier *= Float(Foundation.pow(opWidth(target), -deltaA))
        }
        for (target, deltaC) in corrections.deltaC.sorted(by: { $0.key < $1.key }) where deltaC != 0 {
            guard let optimizer = model.optimizerIfTrainable,
                  let index = optimizer.groups.firstIndex(where: { $0.name == target }) else {
                throw .invalid(setting: .corrections, reason: "no learning-rate group named `\(target)`")
            }
            optimizer.groups[index].learningRate *= Foundation.pow(opWidth(target), -deltaC)
        }
    }

    /// The initialization seed of the job `(axisValue, seed)`: derived from those two only, so a job's weights do
    /// not depend on which other jobs run or in which order. Returns the generator after the draw too.
    static func seeds(axisValue: Int, seed: Int) -> (initialization: UInt64, generator: SeededGenerator) {
        var generator = SeededGenerator.derived(from: 0x5EED_C00D, axisValue, seed)
        let initializationSeed = generator.next()
        return (initializationSeed, generator)
    }

    /// Writes per-op options into the markings of the ops they name: an exact op name or a leaf name (`q` for
    /// every block's query); every name must match a marked op.
    private static func applyOpOptions(_ options: [String: OpOptions], to module: any Module<Float>) throws(ModelBuildError) {
        guard !options.isEmpty else { return }
        var marked: [String: any ParametrizableOp<Float>] = [:]
        for (_, sub) in module.namedModules() {
            if let op = sub as? any ParametrizableOp<Float>, op.marking != nil { marked[op.opName] = op }
        }
        for (name, option) in options.sorted(by: { $0.key < $1.key }) {
            // Exact op name, else leaf name (`q` names every `blocks.i.attn.q`).
            let matches = marked[name].map { [$0] }
                ?? marked.keys.sorted().filter { $0.split(separator: ".").last.map(String.init) == name }.map { marked[$0]! }
            guard !matches.isEmpty else {
                throw .invalid(setting: .opOption, reason: "no parametrized op named `\(name)` (known: \(marked.keys.sorted().joined(separator: ", ")))")
            }
            for op in matches {
                if option.zeroInitialized { op.marking?.initScale = 0 } else if let sigma = option.initScale { op.marking?.initScale = sigma }
                if let scale = option.outputScale { op.marking?.outputScale = scale }
            }
        }
    }

    /// nanoGPT's fixed `init_std` (``TrainingOptions/initStd``): every weighted op's standard `b` becomes 0, so its
    /// standard deviation at the base width is σ itself; under `sp` its declared `b` becomes 0 too (the same σ at every
    /// width, as GPT-2 initializes).
    private static func fixInitStd(of module: any Module<Float>, configuration: ParametrizationConfiguration) {
        let spTable = NamedParametrization.sp.table
        for (_, sub) in module.namedModules() {
            guard let op = sub as? any ParametrizableOp<Float>, let marking = op.marking, op.scaledWeight != nil else { continue }
            let declaredA = marking.a ?? configuration.abTable[marking.role.rawValue]?.a ?? 0
            let standardA = marking.standard?.a ?? spTable[marking.role]?.a ?? declaredA
            op.marking?.standard = ABExponents(a: standardA, b: 0)
            if configuration.name == .sp { op.marking?.b = 0 }
        }
    }

    /// Opens the existential so `Parametrization(model:)` gets a concrete module type.
    private static func withModule<R>(_ module: any Module<Float>,
                                      _ body: (any Module<Float>) throws(ParametrizationError) -> R) throws(ParametrizationError) -> R {
        try body(module)
    }
}
