import Foundation
import MaxP

/// Builds a built-in model at one swept value and seed: the family's ``BuiltInNetwork`` through the one
/// ``ModelEngine`` path, then planted faults and deviations (in that order) and exponent corrections.
///
/// Seeds: the initialization seed is derived from `(axis value, seed)` only, so a job's weights do not depend on
/// which other jobs run or in which order.
public enum ModelBuilder {
    /// Builds the model for `axisValue` on `axis` with run seed `seed`, reading `batch` (default: an empty feature
    /// batch, for models that are only tabulated or get their batches through ``BuiltModel/use(_:)``).
    public static func build(options: ModelOptions, training: TrainingOptions, axis: SweepAxis, axisValue: Int,
                             seed: Int, batch: TaskBatch? = nil, fault: Fault? = nil, faults: [Fault] = [],
                             plants: [OpAssignment] = [], corrections: ExponentCorrections = ExponentCorrections(),
                             trainable: Bool = true) throws(ModelBuildError) -> BuiltModel {
        let width = axis == .width ? axisValue : options.width
        let depth = axis == .depth ? axisValue : options.depth
        let heads = axis == .heads ? axisValue : options.heads(atWidth: width)
        try options.validate(training: training)
        var (initializationSeed, generator) = ModelEngine.seeds(axisValue: axisValue, seed: seed)
        let network = try BuiltInNetwork.make(
            options, parametrization: training.parametrization, width: width, depth: depth, heads: heads,
            batch: batch ?? .features(Tensor(zeros: [0, options.inputDimension]), labels: []),
            initializationSeed: initializationSeed, fixedInitStd: training.initStd != nil, using: &generator)
        let model = try ModelEngine.parametrize(network, training: training, axisValue: axisValue, modelWidth: width, modelDepth: depth,
                                                widthAxis: axis == .width, initializationSeed: initializationSeed,
                                                trainable: trainable)
        for fault in (fault.map { [$0] } ?? []) + faults {
            try plant(fault, in: model, family: options.family, depth: depth, parametrization: training.parametrization)
        }
        try PlantedDeviations.plant(plants, in: model)
        try ModelEngine.apply(corrections, to: model)
        return model
    }

    /// Plants `fault` in a built model (the declared exponents stay the correct ones).
    static func plant(_ fault: Fault, in model: BuiltModel, family: ModelFamily, depth: Int,
                      parametrization name: NamedParametrization) throws(ModelBuildError) {
        let parametrization = model.parametrization
        let ops = Dictionary(uniqueKeysWithValues: parametrization.ops.map { ($0.opName, $0) })
        let targets = fault.targetOps(family: family, depth: depth)
        guard !targets.isEmpty, targets.allSatisfy({ ops[$0] != nil }) else {
            throw .faultNotApplicable(fault: fault, reason: "the \(family.rawValue) model has no such op"
                + (fault == .attentionSqrtD ? " (attention needs the gpt model)" : "")
                + (fault == .hiddenLRUnscaled && family == .mlp ? " (needs depth ≥ 2 for a hidden layer)" : ""))
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
                guard declaredA != 0 else {
                    throw .faultNotApplicable(fault: fault, reason: "`\(target)`'s multiplier is a constant (a fixed head size: d_head does not grow with width)")
                }
                let width = Double(parametrization.exponents[target]?.width ?? 1)
                ops[target]!.multiplier = Float(Foundation.pow(width, -0.5))
            case .hiddenLRUnscaled:
                guard let c = parametrization.c[target], c != 0 else {
                    throw .faultNotApplicable(fault: fault, reason: "`\(target)`'s learning rate is already not width-scaled (c = 0) under \(name.rawValue)")
                }
                model.optimizer.setLearningRate(parametrization.lrPrefactor, forGroup: target)
            }
        }
    }
}
