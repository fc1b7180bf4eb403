/// What an ``AlignmentController`` captured of one op before training: its initial inputs `z⁰` (the first
/// `sampleSize` rows, leading dimensions flattened, as `[rows, fanIn]`) and its initial weight `W⁰` — or, with
/// `resampleW0`, nothing of the weight: it is regenerated bit for bit from the parametrization's seed.
struct InitialSnapshot<Scalar: TensorScalar> {
    /// The op name.
    let name: String
    /// The op's width `n` (the log base of its alignment).
    let width: Int
    /// The op's weight parameter (its current value is `W`).
    let weight: Parameter<Scalar>
    /// Initial inputs, `[rows, fanIn]`.
    let initialInputs: Tensor<Scalar>
    /// The initial weight, `nil` when it is regenerated from the seed.
    let initialWeight: Tensor<Scalar>?
    /// `rms(W⁰)`, computed once.
    let initialWeightRMS: Double
    /// The rms of each row of `z⁰`, computed once.
    let initialRowRMS: [Double]
    /// Buffers reused by every model-precision measurement of this op.
    let scratch = AlignmentScratch<Scalar>()

    init(name: String, width: Int, weight: Parameter<Scalar>, initialInputs: Tensor<Scalar>, initialWeight: Tensor<Scalar>?, initialWeightRMS: Double) {
        self.name = name
        self.width = width
        self.weight = weight
        self.initialInputs = initialInputs
        self.initialWeight = initialWeight
        self.initialWeightRMS = initialWeightRMS
        self.initialRowRMS = AlignmentKernel.rowRMS(
            initialInputs.scalars, firstRow: 0, rows: initialInputs.shape[0], width: initialInputs.shape[1])
    }

    /// Measures the op's alignment from its current inputs `z` (same shape as ``initialInputs``) and current weight;
    /// `regeneratedWeight` supplies `W⁰` when it was not stored.
    func measure(currentInputs z: Tensor<Scalar>, precision: AlignmentPrecision, regeneratedWeight: () -> Tensor<Scalar>) -> Alignment {
        let w0 = initialWeight ?? regeneratedWeight()
        let w = weight.value
        switch precision {
        case .double:
            return AlignmentMeasurement.measure(
                z0: initialInputs.converted(to: Double.self), w0: w0.converted(to: Double.self),
                z: z.converted(to: Double.self), w: w.converted(to: Double.self), fanIn: width)
        case .modelScalar:
            return AlignmentKernel.measure(
                z0: initialInputs.scalars, z: z.scalars, w0: w0.scalars, w: w.scalars, rows: initialInputs.shape[0],
                inputs: initialInputs.shape[1], outputs: w.shape[0], fanIn: width, initialRowRMS: initialRowRMS,
                initialWeightRMS: initialWeightRMS, scratch: scratch)
        }
    }
}
