extension Module {
    /// Re-initializes parameters by name: every parameter whose local name is `bias` is set to zero; every other
    /// parameter for which `standardDeviation` returns a value is redrawn from `N(0, value²)` (in
    /// ``namedParameters()`` order, so the result depends only on the generator); parameters for which it returns
    /// `nil` (e.g. norm gains) are left unchanged.
    public func initializeWeights(
        standardDeviation: (_ name: String) -> Scalar?, using generator: inout SeededGenerator
    ) {
        for (name, parameter) in namedParameters() {
            if name == "bias" || name.hasSuffix(".bias") {
                parameter.value = Tensor(zeros: parameter.shape)
            } else if let std = standardDeviation(name) {
                parameter.value = .randomNormal(shape: parameter.shape, standardDeviation: std, using: &generator)
            }
        }
    }
}
