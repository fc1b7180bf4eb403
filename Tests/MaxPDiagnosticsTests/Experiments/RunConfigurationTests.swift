import Foundation
import MaxP
import Testing
import _MaxPTestSupport
@testable import MaxPDiagnostics

/// The run configuration schema: the issue's YAML works as written, JSON too, defaults fill the rest, every key is
/// written back, and bad input names the key in plain words.
@Suite("Run configuration")
struct RunConfigurationTests {
    static let issueYAML = RunConfigurationExamples.issueYAML

    static func configuration(_ text: String) throws(ConfigurationError) -> RunConfiguration {
        try RunConfiguration(document: ConfigDocument.parse(text, source: "run.yaml"))
    }

    static func error(_ text: String) -> String {
        do { _ = try configuration(text); return "" } catch { return error.description }
    }

    @Test func theIssueExampleReadsAsWritten() throws {
        let c = try Self.configuration(Self.issueYAML)
        #expect(c.model.name == .mlp && c.model.width == 64 && c.model.depth == 2 && c.model.inputDim == 16 && c.model.outputDim == 4)
        #expect(c.optimizer.type == .adam && c.optimizer.lrPrefactor == 0.05)
        #expect(c.maxp.parametrization == .mup && c.maxp.alignment == .full && c.maxp.dynamic)
        #expect(c.maxp.warmupSteps == 2 && c.maxp.solveInterval == 2 && c.maxp.sampleSize == 32)
        #expect(c.steps == 12 && c.seed == 0 && c.data == nil && c.baseWidth == nil && c.model.batch == 32)
    }

    @Test func jsonReadsTheSameAndTheResolvedFormRoundTrips() throws {
        let yaml = try Self.configuration(Self.issueYAML)
        let json = try Self.configuration(#"{"model": {"name": "mlp", "width": 64, "depth": 2, "input_dim": 16, "output_dim": 4}, "optimizer": {"type": "adam", "lr_prefactor": 0.05}, "maxp": {"parametrization": "mup", "alignment": "full", "dynamic": true, "warmup_steps": 2, "solve_interval": 2}, "steps": 12}"#)
        #expect(yaml == json)
        let text = yaml.value.jsonText()
        #expect(try Self.configuration(text) == yaml)
        // Every key is written, with nulls for the unset optional ones.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(RunConfiguration.topLevelKeys))
        #expect(object["data"] is NSNull && object["base_width"] is NSNull)
        for (section, keys) in RunConfiguration.sectionKeys {
            #expect(Set((object[section] as? [String: Any])?.keys.map { $0 } ?? []) == Set(keys), "\(section)")
        }
    }

    @Test func gptDefaultsDependOnTheFamily() throws {
        let c = try Self.configuration("model: {name: gpt}")
        #expect(c.model.width == 32 && c.model.depth == 1 && c.model.batch == 8)
    }

    @Test func unknownKeysListTheKnownOnes() {
        #expect(Self.error("model: {widht: 3}") == "unknown key `model.widht` (known: model.name, model.width, model.depth, model.input_dim, model.output_dim, model.batch, model.heads, model.seq_len, model.vocab, model.tie_embeddings)")
        #expect(Self.error("stepz: 3").hasPrefix("unknown key `stepz` (known: model, optimizer, maxp, schedule, logging, steps"))
        #expect(Self.error("schedule: {type: cosine, warmup: 3, steps: 4}").hasPrefix("unknown key `schedule.warmup` (known: schedule.type, schedule.steps, schedule.min_factor"))
    }

    @Test func wrongTypesAreNamedInPlainWords() {
        #expect(Self.error(#"optimizer: {lr_prefactor: "abc"}"#) == #"optimizer.lr_prefactor: expected a number, got "abc""#)
        #expect(Self.error("optimizer: {lr_prefactor: abc}") == #"optimizer.lr_prefactor: expected a number, got "abc""#)
        #expect(Self.error("model: {width: 6.5}") == "model.width: expected a whole number, got 6.5")
        #expect(Self.error("maxp: {dynamic: maybe}") == #"maxp.dynamic: expected true or false, got "maybe""#)
        #expect(Self.error("optimizer: {type: rmsprop}") == #"optimizer.type: expected one of adam, sgd, adafactor, got "rmsprop""#)
        #expect(Self.error("model: 3") == "model: expected a mapping of keys to values, got 3")
        #expect(Self.error("steps: 0") == "steps: must be at least 1, got 0")
        #expect(Self.error("optimizer: {lr_prefactor: 0}") == "optimizer.lr_prefactor: must be a positive number, got 0.0")
        #expect(Self.error("maxp: {dynamic: true, warmup_steps: 5}\nsteps: 5").contains("never measures"))
        #expect(Self.error("model: {name: gpt, tie_embeddings: true}\nmaxp: {dynamic: true}").contains("cannot re-solve learning rates with model.tie_embeddings"))
    }

    @Test func labelsNameTheOptionThatGaveAValue() throws {
        let document = try ConfigDocument.parse("steps: 3", source: "x").setting(.string("abc"), at: "optimizer.lr_prefactor")
        do {
            _ = try RunConfiguration(document: document, labels: ["optimizer.lr_prefactor": "--lr"])
            Issue.record("accepted")
        } catch {
            #expect(error.description == #"--lr: expected a number, got "abc""#)
        }
    }

    @Test func malformedFilesAreOneLine() {
        #expect(Self.error("model: {width: [1, 2}").hasPrefix("'run.yaml': not valid YAML or JSON"))
        #expect(Self.error("- 1\n- 2").hasPrefix("'run.yaml': the top level must be a mapping"))
        #expect(Self.error("steps: 1\nsteps: 2").contains("twice") || Self.error("steps: 1\nsteps: 2").contains("duplicate"))
    }

    @Test func resumeComparisonIgnoresStepsAndLogging() throws {
        let a = try Self.configuration(Self.issueYAML)
        var b = a
        b.steps = 40
        b.logging.every = 5
        #expect(a.firstDifference(from: b) == nil)
        b.model.width = 32
        let difference = try #require(a.firstDifference(from: b))
        #expect(difference.key == "model.width" && difference.this == .integer(64) && difference.other == .integer(32))
    }

    @Test func dataFixesTheInputAndOutputSizes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-config-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("data.csv")
        try "x1,x2,x3,label\n0.1,0.2,0.3,0\n0.4,0.5,0.6,2\n".write(to: file, atomically: true, encoding: .utf8)
        let document = try ConfigDocument.parse("data: \(file.path)", source: "x")
        let (c, dataset) = try RunConfiguration.resolve(document: document)
        #expect(c.model.inputDim == 3 && c.model.outputDim == 3 && dataset?.labels == [0, 2])
        do {
            _ = try RunConfiguration.resolve(document: document.setting(.integer(5), at: "model.input_dim"))
            Issue.record("accepted a mismatched input_dim")
        } catch {
            #expect(error.description == "model.input_dim: is 5 but the data file has 3 feature columns")
        }
    }
}

extension RunConfigurationTests {
    @Test func noIsTheAlignmentPresetNotFalse() throws {
        let c = try Self.configuration("maxp: {alignment: no, dynamic: True}")
        #expect(c.maxp.alignment == .no && c.maxp.dynamic)
    }
}

extension RunConfigurationTests {
    @Test func ablationKeysReachTheTrainingOptionsAndRoundTrip() throws {
        let c = try Self.configuration("""
            optimizer: {type: adafactor, weight_decay: 0.1, grad_clip: 1}
            maxp: {sigma: 0.02, overrides: ["blocks.*.b=0.5", "readout.a=1"]}
            """)
        let training = c.trainingOptions
        #expect(training.optimizer == .adafactor && training.weightDecay == 0.1 && training.gradientClip == 1 && training.initStd == 0.02)
        #expect(training.overrides.map(\.description) == ["blocks.*.b=0.5", "readout.a=1.0"])
        #expect(try Self.configuration(c.value.jsonText()) == c)
        // One override as text is a one-element list (what a grid sweeping the key gives each run).
        #expect(try Self.configuration("maxp: {overrides: readout.a=1}").maxp.overrides == [training.overrides[1]])
        let defaults = try Self.configuration("steps: 3")
        #expect(defaults.trainingOptions.weightDecay == 0 && defaults.optimizer.gradClip == nil && defaults.maxp.sigma == nil)
        #expect(defaults.value.value(at: "maxp.overrides") == .list([]) && defaults.value.value(at: "maxp.sigma") == .null)
        var other = c
        other.maxp.overrides.removeLast()
        #expect(c.firstDifference(from: other)?.key == "maxp.overrides")
    }

    @Test func badAblationValuesNameTheirKey() {
        #expect(Self.error("optimizer: {weight_decay: -1}") == "optimizer.weight_decay: must be a finite number ≥ 0, got -1.0")
        #expect(Self.error("optimizer: {grad_clip: 0}") == "optimizer.grad_clip: must be a positive finite gradient norm, got 0.0")
        #expect(Self.error("maxp: {sigma: 0}") == "maxp.sigma: must be a positive finite standard deviation, got 0.0")
        #expect(Self.error("maxp: {overrides: [readout.a]}").hasPrefix("maxp.overrides: `readout.a` has no `=`"))
        #expect(Self.error("maxp: {overrides: [1]}") == #"maxp.overrides: expected GLOB.FIELD=VALUE texts (e.g. "readout.a=1"), got 1"#)
    }

    @Test func engineSettingsMapToTheirKeys() {
        #expect(RunConfiguration.key(for: .override) == "maxp.overrides" && RunConfiguration.key(for: .initStd) == "maxp.sigma")
        #expect(RunConfiguration.key(for: .values) == "model.width" && RunConfiguration.key(for: .plant) == nil)
        for setting in SweepSetting.allCases {
            if let key = RunConfiguration.key(for: setting) { #expect(RunConfiguration.isKnown(key), "\(setting)") }
        }
    }
}
