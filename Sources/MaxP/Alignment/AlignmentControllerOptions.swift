/// How an ``AlignmentController`` measures alignment and re-solves learning rates during training (spec §5.3–§5.5).
public struct AlignmentControllerOptions: Codable, Equatable, Sendable {
    /// Steps (counted from 1) during which nothing is measured: the first solve can happen at step `warmupSteps + 1`.
    public var warmupSteps: Int
    /// Measure and re-solve at steps `k` with `k mod solveInterval == 0` (counted from 0, not from the end of warmup).
    public var solveInterval: Int
    /// How many input rows (leading dimensions flattened) of each op are captured and measured.
    public var sampleSize: Int
    /// Smoothing of `c` toward the LP's targets at every step: `c ← cEMA · c + (1 − cEMA) · target`; 0 jumps at once.
    public var cEMA: Double
    /// Smoothing of measured alignment: `value ← alignmentEMA · previous + (1 − alignmentEMA) · measured`; 0 takes
    /// the measurement as is (the first measurement is blended with the preset).
    public var alignmentEMA: Double
    /// Measure and record alignment (pinned ops too) without ever re-solving the LP: learning rates stay fixed.
    public var measureOnly: Bool
    /// Store only the initialization seed instead of a copy of every initial weight; `W⁰` is regenerated bit for bit
    /// from ``Parametrization/initialWeight(of:)`` when needed (less memory, more time per solve).
    public var resampleW0: Bool
    /// Measure on the inputs recorded from the training forward pass (``AlignmentController/recordActivations(on:)``)
    /// instead of running a separate capture forward.
    public var useTrainingActivations: Bool
    /// The precision of the alignment products.
    public var precision: AlignmentPrecision

    /// Creates options; call ``validate()`` (the controller does) to check them.
    public init(
        warmupSteps: Int = 0, solveInterval: Int = 1, sampleSize: Int = 32, cEMA: Double = 0,
        alignmentEMA: Double = 0, measureOnly: Bool = false, resampleW0: Bool = false,
        useTrainingActivations: Bool = false, precision: AlignmentPrecision = .modelScalar
    ) {
        self.warmupSteps = warmupSteps
        self.solveInterval = solveInterval
        self.sampleSize = sampleSize
        self.cEMA = cEMA
        self.alignmentEMA = alignmentEMA
        self.measureOnly = measureOnly
        self.resampleW0 = resampleW0
        self.useTrainingActivations = useTrainingActivations
        self.precision = precision
    }

    /// Throws ``AlignmentControllerError/invalidOption(name:value:requirement:)`` for the first invalid option.
    public func validate() throws(AlignmentControllerError) {
        guard warmupSteps >= 0 else {
            throw .invalidOption(name: "warmupSteps", value: "\(warmupSteps)", requirement: "must be ≥ 0")
        }
        guard solveInterval >= 1 else {
            throw .invalidOption(name: "solveInterval", value: "\(solveInterval)", requirement: "must be ≥ 1")
        }
        guard sampleSize >= 1 else {
            throw .invalidOption(name: "sampleSize", value: "\(sampleSize)", requirement: "must be ≥ 1")
        }
        for (name, value) in [("cEMA", cEMA), ("alignmentEMA", alignmentEMA)] where !(value >= 0 && value < 1) {
            throw .invalidOption(name: name, value: "\(value)", requirement: "must be in [0, 1)")
        }
    }
}
