import MaxP

/// The README's "Parametrize a model for training" snippet, kept here so CI compiles it (it is not run).
func parametrizeForTraining() throws {
    var generator = SeededGenerator(seed: 0)
    let model = MLP<Float>(MLPConfiguration(inputDimension: 32, width: 1024, depth: 3, outputDimension: 10), using: &generator)
    model.markStandardRoles()                      // fc_1: embedding, fc_2…: hidden, readout: readout
    let sampleBatch = Tensor<Float>.randomNormal(shape: [8, 32], standardDeviation: 1, using: &generator)

    let parametrization = try Parametrization(
        model: model,
        configuration: .init(.mup, optimizer: .adam, alignment: .full, lrPrefactor: 1e-2, base: BaseWidth(base: 64, width: 1024))
    ) { tape in _ = model(tape.input(sampleBatch)) }        // trace the real data flow (residuals, products)

    let optimizer = Adam(groups: parametrization.parameterGroups())   // lr = η · (width/base)^-c per layer, `_other` at η
    for row in parametrization.table { print(row.name, row.role, row.a, row.b, row.c ?? .nan, row.r) }
    _ = optimizer
}
