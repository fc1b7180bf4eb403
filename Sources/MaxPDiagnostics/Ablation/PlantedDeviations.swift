import Foundation
import MaxP

/// Plants deviations of the actual model from its declaration (``SweepPlan/plants``, a general fault): the declared
/// exponents — what theory predicts from — stay as they are, the model silently does something else.
///
/// With `n` the op's width and `n₀` its base width (1 without a base, so the factor is `n^-Δ`):
/// - `a=Δ`: the output multiplier is multiplied by `(n/n₀)^-Δ` (actual `a` = declared `a + Δ`);
/// - `b=Δ`: the initial weight is multiplied by `(n/n₀)^-Δ` (actual `b` = declared `b + Δ`);
/// - `c=Δ`: the learning rate is multiplied by `(n/n₀)^-Δ` (actual `c` = declared `c + Δ`);
/// - `sigma=σ`: the initial weight is re-scaled to the standard deviation σ would give (a zero-initialized weight is
///   drawn afresh from its own seed).
///
/// At the base width the planted model equals the declared one, except for `sigma`. A coord check reports a planted
/// `a=Δ` as the correction `Δa = −Δ` at that op (multiply its output by `width^Δ`).
enum PlantedDeviations {
    /// Plants every assignment in order on `model`; every pattern must match a parametrized op, and `b`, `c`, `sigma`
    /// need a weight.
    static func plant(_ plants: [OpAssignment], in model: BuiltModel) throws(ModelBuildError) {
        guard !plants.isEmpty else { return }
        let parametrization = model.parametrization
        let names = parametrization.ops.map(\.opName)
        let ops = Dictionary(parametrization.ops.map { ($0.opName, $0) }, uniquingKeysWith: { first, _ in first })
        for plant in plants {
            for target in try DeclaredOverrides.weightedTargets(of: plant, in: names,
                                                                hasWeight: { ops[$0]!.scaledWeight != nil }, setting: .plant) {
                let op = ops[target]!
                let width = Double(parametrization.exponents[target]?.width ?? 1)
                let ratio = width / parametrization.baseWidth(of: target)
                let factor = Float(Foundation.pow(ratio, -plant.value))
                switch plant.field {
                case .a:
                    op.multiplier *= factor
                case .b:
                    scale(op.scaledWeight!, by: factor)
                case .c:
                    guard let optimizer = model.optimizerIfTrainable,
                          let index = optimizer.groups.firstIndex(where: { $0.name == target }) else { continue }
                    optimizer.groups[index].learningRate *= Double(factor)
                case .sigma:
                    try plantSigma(plant.value, on: op, named: target, in: parametrization)
                }
            }
        }
    }

    /// Re-scales (or, from zero, re-draws) the op's initial weight to the standard deviation σ = `value` gives.
    private static func plantSigma(_ value: Double, on op: any ParametrizableOp<Float>, named name: String,
                                   in parametrization: Parametrization<Float>) throws(ModelBuildError) {
        let weight = op.scaledWeight!
        let declared = op.marking?.initScale ?? parametrization.configuration.stdPrefactor
        if declared > 0 {
            scale(weight, by: Float(value / declared))
            return
        }
        // Zero-initialized: draw from the std the declared exponents give at σ = value.
        guard let (_, width, ab) = parametrization.exponents[name], value > 0 else { return }
        let standardB = parametrization.standardExponents[name]?.b ?? ab.b
        let n0 = parametrization.baseWidth(of: name)
        let std = value * (parametrization.configuration.base == nil
            ? Foundation.pow(Double(width), -ab.b)
            : Foundation.pow(n0, -standardB) * Foundation.pow(Double(width) / n0, -ab.b))
        let index = parametrization.ops.firstIndex { $0.opName == name } ?? 0
        var generator = SeededGenerator.derived(from: parametrization.configuration.initializationSeed, index, 0x9A_17)
        weight.value = .randomNormal(shape: weight.shape, standardDeviation: Float(std), using: &generator)
    }

    private static func scale(_ weight: Parameter<Float>, by factor: Float) {
        weight.value.scalars.withUnsafeMutableBufferPointer { buffer in
            for k in buffer.indices { buffer[k] *= factor }
        }
    }
}
