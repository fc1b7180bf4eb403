import MaxPDiagnostics
import MaxPReport

/// The one place that spells the library's settings as this CLI's flags (the library never names flags).
extension SweepSetting {
    /// The flag of the setting (`.values` → `--widths`, `.learningRate` → `--lr`, …).
    var flag: String {
        switch self {
        case .values: "--widths"
        case .seeds: "--seeds"
        case .steps: "--steps"
        case .learningRate: "--lr"
        case .learningRates: "--lrs"
        case .parametrizations: "--parametrizations"
        case .baseWidth: "--base-width"
        case .initScale: "--init-scale"
        case .inputDimension: "--input-dim"
        case .depth: "--depth"
        case .outputDimension: "--output-dim"
        case .batch: "--batch"
        case .heads: "--heads"
        case .sequenceLength: "--seq-len"
        case .vocabulary: "--vocab"
        case .width: "--width"
        case .axis: "--axis"
        case .shard: "--shard"
        case .corrections: "--autofix"
        case .model: "--model"
        case .optimizer: "--optimizer"
        case .parametrization: "--parametrization"
        case .alignment: "--alignment"
        case .data: "--data"
        case .fault: "--inject"
        case .opOption: "--zero-init"
        case .seed: "--seed"
        case .tieEmbeddings: "--tie-embeddings"
        case .override: "--override"
        case .plant: "--plant"
        case .headSize: "--head-size"
        case .initStd: "--sigma"
        case .weightDecay: "--weight-decay"
        case .gradientClip: "--grad-clip"
        case .depthAlpha: "--depth-alpha"
        case .baseDepth: "--base-depth"
        case .beta1: "--beta1"
        case .beta2: "--beta2"
        case .adamEpsilon: "--adam-epsilon"
        }
    }
}

extension ImportSetting {
    /// The flag of the importer's reading option.
    var flag: String {
        switch self {
        case .statistic: "--statistic"
        case .tOrigin: "--t-origin"
        }
    }
}

/// A library error that this CLI words with its own flag names (what ``CLIExit`` prints before exiting with status 2).
protocol CommandLineMessage: Error {
    /// The error as one line naming this CLI's flags.
    var commandLineMessage: String { get }
}

extension ModelBuildError: CommandLineMessage {
    var commandLineMessage: String { message { $0.flag } }
}

extension ImportError: CommandLineMessage {
    var commandLineMessage: String { message { $0.flag } }
}

extension CoordImportError: CommandLineMessage {
    var commandLineMessage: String { message { $0.flag } }
}

extension SlopeReportError: CommandLineMessage {
    var commandLineMessage: String { message(regenerate: "with --write-baseline") }
}

extension ReportError: CommandLineMessage {
    /// The error as one line: an unwritable folder's advice names `--out`, an op glob that matches nothing `--ops`,
    /// a statistic the table does not hold `--statistic`.
    var commandLineMessage: String {
        let line = message(outputOption: "--out")
        switch self {
        case .noMatchingOp: return "--ops: \(line)"
        case .statisticNotRecorded: return "--statistic: \(line)"
        default: return line
        }
    }
}
