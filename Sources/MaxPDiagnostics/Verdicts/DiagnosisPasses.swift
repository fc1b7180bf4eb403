import MaxP

/// The state ``Diagnosis/judge(_:mode:policy:statistics:)`` carries through its named passes — fit, judge, blame,
/// learning-rate advice — each of which only decides (verdicts and ``VerdictExplanation`` values); the words come
/// from ``VerdictProse`` when a message is read.
struct DiagnosisPasses {
    /// One judged (op, t, statistic).
    struct Key: Hashable { var op: String; var t: Int; var statistic: CoordStatistic }

    let table: CoordTable
    let theory: Theory
    let mode: TheoryMode
    let policy: VerdictPolicy
    let statistics: [CoordStatistic]
    let ops: [String]
    let steps: [Int]
    let graph: BlameGraph
    private(set) var fits: [Key: SlopeFit] = [:]
    private(set) var samples: [Key: [SlopeSample]] = [:]
    var verdicts: [Key: OpVerdict] = [:]

    init(table: CoordTable, mode: TheoryMode, policy: VerdictPolicy, statistics: [CoordStatistic]) {
        self.table = table
        self.theory = Theory(ops: table.metadata.ops, mode: mode)
        self.mode = mode
        self.policy = policy
        self.statistics = statistics
        self.ops = table.opOrder
        self.steps = table.steps
        self.graph = BlameGraph(theory: theory)
    }

    /// The measured slope of (op, t, statistic), `nil` when it was not fitted or is exactly zero.
    func measured(_ op: String, _ t: Int, _ statistic: CoordStatistic) -> Double? {
        guard let fit = fits[Key(op: op, t: t, statistic: statistic)], fit.status != .allZero else { return nil }
        return fit.slope
    }

    // MARK: - Fit

    /// Fits every (op, t, statistic) (`delta_rms` is skipped at t = 0, where it is zero by definition).
    mutating func fit() {
        struct Site: Hashable { var op: String; var t: Int }
        // Rows grouped once per (op, t), in stored order (the same samples as `table.samples`, in one pass).
        var rowsBySite: [Site: [CoordRow]] = [:]
        for row in table.rows { rowsBySite[Site(op: row.op, t: row.t), default: []].append(row) }
        for op in ops {
            for t in steps {
                guard let rows = rowsBySite[Site(op: op, t: t)] else { continue }
                for statistic in statistics where !(t == 0 && statistic == .deltaRMS) {
                    let values = rows.map { SlopeSample(axisValue: $0.axisValue, seed: $0.seed, value: $0.value(of: statistic)) }
                    fits[Key(op: op, t: t, statistic: statistic)] = SlopeFit.fit(values)
                    samples[Key(op: op, t: t, statistic: statistic)] = values
                }
            }
        }
    }

    // MARK: - Judge

    /// Judges every fit against theory (``Diagnosis/judgeOne(op:kind:t:statistic:fit:expectation:policy:axisValues:jump:)``),
    /// reviews t = 0 deviations for finite-width bias (the large-width end, and a softmax-weighted average's
    /// attention concentration), makes after-training deviations inconclusive where training was unstable, lets
    /// finite-width bias travel downstream, and recognizes init-time bias carried through training.
    mutating func judge() {
        let axisValues = table.axisValues
        let jumps = Diagnosis.lossJumps(table.metadata.lossSeries, ratio: policy.lossJumpRatio, axisValues: axisValues)
        // `table.kind(of:)` for every op, in one pass: the metadata's kind first, else the first row's.
        var kinds: [String: String] = [:]
        for descriptor in table.metadata.ops where kinds[descriptor.op] == nil { kinds[descriptor.op] = descriptor.kind }
        for row in table.rows where kinds[row.op] == nil { kinds[row.op] = row.kind }
        let stability = TrainingStability(table.metadata.lossSeries, axisValues: axisValues, ratio: policy.lossJumpRatio,
                                          riseRatio: policy.unstableRiseRatio)
        for (key, fit) in fits {
            let expectation = theory.expectedSlope(of: key.op, t: key.t, statistic: key.statistic)
            var verdict = Diagnosis.judgeOne(op: key.op, kind: kinds[key.op] ?? "", t: key.t, statistic: key.statistic,
                                             fit: fit, expectation: expectation, policy: policy,
                                             axisValues: axisValues, jump: jumps[key.t])
            verdict = FiniteWidthCorrection.revised(verdict, samples: samples[key] ?? [], policy: policy)
            if let softmax = softmaxInput(of: key.op) {
                verdict = AttentionConcentrationCorrection.revised(
                    verdict, samples: samples[key] ?? [], softmax: softmax,
                    softmaxL1: rawSamples(of: softmax, t: key.t, statistic: .l1),
                    softmaxRMS: rawSamples(of: softmax, t: key.t, statistic: .rms), policy: policy, axisValues: axisValues)
            }
            verdicts[key] = stability.revised(verdict)
        }

        inheritFiniteWidthBias(at: [0])
        reviewCarriedInitBias()
        inheritFiniteWidthBias(at: steps.filter { $0 > 0 })
    }

    /// Finite-width bias travels downstream: a deviation at step t whose own part (given its inputs' measured
    /// slopes) is within tolerance, with an input whose verdict is a finite-width bias, is that bias
    /// (``FiniteWidthCorrection/inherited(_:own:from:policy:)``). Ops in topological order, so the bias travels
    /// along chains; at t = 0 the sizes only (the change is zero there).
    private mutating func inheritFiniteWidthBias(at steps: [Int]) {
        for t in steps {
            for statistic in statistics where t > 0 || !statistic.measuresChange {
                for op in ops {
                    let key = Key(op: op, t: t, statistic: statistic)
                    guard let verdict = verdicts[key], verdict.verdict.isDeviation, let slope = verdict.fit.slope,
                          let source = theory.descriptor(of: op)?.inputs
                              .compactMap({ verdicts[Key(op: $0, t: t, statistic: statistic)] })
                              .first(where: { $0.reason?.isFiniteWidth == true }),
                          let conditional = theory.conditionalExpectedSlope(of: op, t: t, statistic: statistic,
                                                                            measured: measured) else { continue }
                    verdicts[key] = FiniteWidthCorrection.inherited(verdict, own: slope - conditional.nearest(to: slope),
                                                                    from: source, policy: policy)
                }
            }
        }
    }

    // MARK: - Finite-width helpers

    /// The softmax op feeding `op` when `op` is a softmax-weighted average (a product whose input is a softmax).
    func softmaxInput(of op: String) -> String? {
        guard let descriptor = theory.descriptor(of: op), descriptor.rule == .product else { return nil }
        return descriptor.inputs.first { theory.descriptor(of: $0)?.rule == .softmax }
    }

    /// The samples of (op, t, statistic) straight from the table (also for statistics not judged).
    func rawSamples(of op: String, t: Int, statistic: CoordStatistic) -> [SlopeSample] {
        if let stored = samples[Key(op: op, t: t, statistic: statistic)] { return stored }
        return table.rows.filter { $0.op == op && $0.t == t }
            .map { SlopeSample(axisValue: $0.axisValue, seed: $0.seed, value: $0.value(of: statistic)) }
    }

    /// After training: deviations that are the init-time finite-width bias carried through training, or that the
    /// large-width end does not confirm (``CarriedInitBias``), become `ok` or `inconclusive` — except at or downstream
    /// (with SGD also upstream) of an op whose init verdict is a parametrization error, which explains them (blame).
    mutating func reviewCarriedInitBias() {
        let backward = Diagnosis.gradientScaleReachesUpstream(table.metadata.optimizer)
        let axisValues = table.axisValues
        var revised: [Key: OpVerdict] = [:]
        let current = verdicts
        let initVerdict = { (op: String, statistic: CoordStatistic) in current[Key(op: op, t: 0, statistic: statistic)] }
        // Ops whose init verdict is a parametrization error (grows/shrinks at t = 0, any size statistic).
        let initErrors = Set(current.filter { $0.key.t == 0 && $0.value.verdict.isDeviation }.map(\.key.op))
        let depths = weightDepths()
        for (key, verdict) in current where key.t > 0 && verdict.verdict.isDeviation {
            // A deviation after training at or downstream of an init error (with SGD also upstream) is that error's
            // doing, which blame names: no finite-width review.
            let related = [key.op] + graph.dependencies(of: key.op) + (backward ? graph.dependents(of: key.op) : [])
            guard !related.contains(where: initErrors.contains) else { continue }
            var sources: [(verdict: OpVerdict, direction: BlameGraph.Direction, samples: [SlopeSample])] = []
            let minimum = policy.minimumCarriedInitDeviation
            if let forward = CarriedInitBias.source(for: verdict, candidates: [key.op] + graph.dependencies(of: key.op),
                                                    minimum: minimum, initVerdict: initVerdict) {
                sources.append((forward, .forward, rawSamples(of: forward.op, t: 0, statistic: forward.statistic)))
            }
            // With SGD a weight's change is the gradient times its input: the gradient carries the drift of the ops
            // downstream.
            if backward, key.statistic.measuresChange,
               let downstream = CarriedInitBias.source(for: verdict, candidates: graph.dependents(of: key.op),
                                                       minimum: minimum, initVerdict: initVerdict) {
                sources.append((downstream, .backward, rawSamples(of: downstream.op, t: 0, statistic: downstream.statistic)))
            }
            revised[key] = CarriedInitBias.revised(verdict, samples: samples[key] ?? [], sources: sources,
                                                   policy: policy, axisValues: axisValues,
                                                   regimeFloor: CarriedInitBias.regimeFloor(depth: depths[key.op] ?? 0,
                                                                                            policy: policy))
        }
        verdicts.merge(revised) { $1 }
    }

    /// Per op, its depth in weight layers: the most parametrized ops (itself included) on a path from the input or
    /// from the last normalization (which divides out the log-norm drift the random matrices before it accumulated).
    func weightDepths() -> [String: Int] {
        var depths: [String: Int] = [:]
        for op in ops {  // topological order
            let descriptor = theory.descriptor(of: op)
            let own = descriptor?.exponents == nil ? 0 : 1
            let normalizes = descriptor.map { OpRule(kind: $0.kind, isParametrized: false) == .normalization } ?? false
            depths[op] = own + (normalizes ? 0 : descriptor?.inputs.compactMap { depths[$0] }.max() ?? 0)
        }
        return depths
    }

    // MARK: - Result

    /// Every verdict in op order, then t, then statistic.
    func ordered() -> [OpVerdict] {
        var result: [OpVerdict] = []
        for op in ops {
            for t in steps {
                for statistic in statistics {
                    if let verdict = verdicts[Key(op: op, t: t, statistic: statistic)] { result.append(verdict) }
                }
            }
        }
        return result
    }
}
