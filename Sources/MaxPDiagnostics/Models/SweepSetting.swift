/// A setting of a sweep, a built-in model or a training run that a validation error points at. The library names
/// settings, never command-line flags: a front end maps each setting to its own spelling (the CLI to `--widths`,
/// `--input-dim`, …).
public enum SweepSetting: String, CaseIterable, Sendable, Codable {
    /// The swept values (widths, or depths / head counts on another axis).
    case values
    /// The seeds.
    case seeds
    /// Training steps.
    case steps
    /// The learning-rate prefactor η.
    case learningRate = "learning_rate"
    /// The grid of learning rates of an LR-transfer sweep.
    case learningRates = "learning_rates"
    /// The parametrizations compared.
    case parametrizations
    /// The base width (mup's base shapes).
    case baseWidth = "base_width"
    /// The initialization prefactor σ.
    case initScale = "init_scale"
    /// The MLP input dimension.
    case inputDimension = "input_dimension"
    /// Hidden layers / blocks.
    case depth
    /// The MLP output dimension (classes).
    case outputDimension = "output_dimension"
    /// Examples per batch.
    case batch
    /// GPT attention heads.
    case heads
    /// GPT sequence length.
    case sequenceLength = "sequence_length"
    /// GPT vocabulary size.
    case vocabulary
    /// The fixed width of a depth / heads sweep, or the width of one model.
    case width
    /// The swept axis.
    case axis
    /// The shard of the job list.
    case shard
    /// Exponent corrections (autofix).
    case corrections
    /// The model family.
    case model
    /// The optimizer.
    case optimizer
    /// The declared parametrization.
    case parametrization
    /// The alignment preset assumed before any is measured.
    case alignment
    /// The data file.
    case data
    /// An injected fault.
    case fault
    /// A per-op option (zero initialization, σ, multiplier constant) naming an op.
    case opOption = "op_option"
    /// The seed of a single run.
    case seed
    /// Tied input/output embeddings.
    case tieEmbeddings = "tie_embeddings"
    /// A declared per-op exponent or σ (``TrainingOptions/overrides``).
    case override
    /// A planted per-op deviation of the actual model from its declaration (``SweepPlan/plants``).
    case plant
    /// The fixed GPT head size (``ModelOptions/headSize``).
    case headSize = "head_size"
    /// The fixed initialization standard deviation (``TrainingOptions/initStd``).
    case initStd = "init_std"
    /// The weight decay (``TrainingOptions/weightDecay``).
    case weightDecay = "weight_decay"
    /// The gradient-norm clipping threshold (``TrainingOptions/gradientClip``).
    case gradientClip = "gradient_clip"
    /// Depth-µP's branch exponent α.
    case depthAlpha = "depth_alpha"
    /// Depth-µP's base depth.
    case baseDepth = "base_depth"
    /// Adam's β₁ (``TrainingOptions/beta1``).
    case beta1
    /// Adam's β₂ (``TrainingOptions/beta2``).
    case beta2
    /// Adam's ε (``TrainingOptions/adamEpsilon``).
    case adamEpsilon = "adam_epsilon"
}
