extension RunConfiguration {
    /// The dotted configuration key that holds an engine setting (``SweepSetting/width`` → `model.width`,
    /// ``SweepSetting/override`` → `maxp.overrides`), so an engine error about a value read from a file can name the
    /// key as written there; `nil` for settings a run configuration has no key for (sweep-only ones).
    public static func key(for setting: SweepSetting) -> String? {
        switch setting {
        case .model: "model.name"
        case .width, .values: "model.width"
        case .depth: "model.depth"
        case .inputDimension: "model.input_dim"
        case .outputDimension: "model.output_dim"
        case .batch: "model.batch"
        case .heads: "model.heads"
        case .sequenceLength: "model.seq_len"
        case .vocabulary: "model.vocab"
        case .optimizer: "optimizer.type"
        case .learningRate: "optimizer.lr_prefactor"
        case .weightDecay: "optimizer.weight_decay"
        case .gradientClip: "optimizer.grad_clip"
        case .beta1: "optimizer.beta1"
        case .beta2: "optimizer.beta2"
        case .adamEpsilon: "optimizer.eps"
        case .parametrization: "maxp.parametrization"
        case .alignment: "maxp.alignment"
        case .tieEmbeddings: "model.tie_embeddings"
        case .initStd: "maxp.sigma"
        case .depthAlpha: "maxp.depth_alpha"
        case .baseDepth: "maxp.base_depth"
        case .override: "maxp.overrides"
        case .steps: "steps"
        case .seed: "seed"
        case .data: "data"
        case .baseWidth: "base_width"
        case .seeds, .learningRates, .parametrizations, .initScale, .axis, .shard, .corrections, .fault, .opOption, .plant, .headSize:
            nil
        }
    }
}
