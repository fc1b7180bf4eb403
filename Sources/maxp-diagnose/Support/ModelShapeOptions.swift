import ArgumentParser
import MaxP
import MaxPDiagnostics

/// The built-in model's shape, shared by every command that builds one (`coord-check`, `lr-transfer`, `gate`, `train`,
/// `solve --model`): family, depth, MLP input and output sizes, batch, GPT heads, sequence length, vocabulary and tied
/// embeddings. Each value is optional, so that a configuration file (or the command's defaults, `D`) fills what is not
/// given; the validated type behind it is the library's ``ModelOptions`` (its `validate` owns the rules).
struct ModelShapeOptions<D: OptionDefaults>: ParsableArguments {
    @Option(help: D.help(D.family == nil ? "A built-in model (instead of --graph)" : "Built-in model family", .model,
                         default: D.family?.rawValue))
    var model: ModelFamily?
    @Option(parsing: .unconditional, help: D.help("Hidden layers (mlp) or blocks (gpt)", .depth, default: D.shapeDefault(\.depth)))
    var depth: Int?
    @Option(parsing: .unconditional, help: D.help("MLP input size", .inputDimension,
                                                  default: D.shapeDefault(\.inputDimension) + (D.readsData ? ", with --data the file's" : "")))
    var inputDim: Int?
    @Option(parsing: .unconditional, help: D.help("MLP classes", .outputDimension,
                                                  default: D.shapeDefault(\.outputDimension) + (D.readsData ? ", with --data the file's" : "")))
    var outputDim: Int?
    @Option(parsing: .unconditional, help: D.help("Batch size", .batch, default: D.shapeDefault(\.batch)))
    var batch: Int?
    @Option(parsing: .unconditional, help: D.help("GPT attention heads" + (D.sweeps ? ", fixed while width grows so the head dimension grows with width" : ""),
                                                  .heads, default: D.shapeDefault(\.heads)))
    var heads: Int?
    @Option(parsing: .unconditional, help: D.help("GPT sequence length", .sequenceLength, default: D.shapeDefault(\.sequenceLength)))
    var seqLen: Int?
    @Option(parsing: .unconditional, help: D.help("GPT vocabulary size", .vocabulary, default: D.shapeDefault(\.vocabulary)))
    var vocab: Int?
    @Flag(help: D.help("GPT: the readout reuses the token embedding's table (tied input/output embeddings, mup#55)" + (D.sweeps ? "; the report states the roles' conflict and its resolution" : ""),
                       .tieEmbeddings, default: nil))
    var tieEmbeddings = false

    /// Every option as the setting it sets (unset ones with no value).
    var given: [GivenSetting] {
        [GivenSetting(setting: .model, value: model.map { .string($0.rawValue) }),
         GivenSetting(setting: .depth, value: depth.map { .integer($0) }),
         GivenSetting(setting: .inputDimension, value: inputDim.map { .integer($0) }),
         GivenSetting(setting: .outputDimension, value: outputDim.map { .integer($0) }),
         GivenSetting(setting: .batch, value: batch.map { .integer($0) }),
         GivenSetting(setting: .heads, value: heads.map { .integer($0) }),
         GivenSetting(setting: .sequenceLength, value: seqLen.map { .integer($0) }),
         GivenSetting(setting: .vocabulary, value: vocab.map { .integer($0) }),
         GivenSetting(setting: .tieEmbeddings, value: tieEmbeddings ? .bool(true) : nil)]
    }

    /// `shape` with every given option set (the family first: it is what the base came from).
    func applied(to shape: ModelOptions) -> ModelOptions {
        var shape = shape
        if let model { shape.family = model }
        if let depth { shape.depth = depth }
        if let inputDim { shape.inputDimension = inputDim }
        if let outputDim { shape.outputDimension = outputDim }
        if let batch { shape.batch = batch }
        if let heads { shape.heads = heads }
        if let seqLen { shape.sequenceLength = seqLen }
        if let vocab { shape.vocabulary = vocab }
        if tieEmbeddings { shape.tiesEmbeddings = true }
        return shape
    }
}
