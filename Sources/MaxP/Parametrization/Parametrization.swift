import Foundation

/// Applies an abc-parametrization to a model: output multipliers `width^-a`, initialization `σ · width^-b`, and
/// per-op learning rates `η · width^-c` with `c` solved by the exponent LP for the largest stable rates.
///
/// Construction, in order (spec §2.5): collect the marked ops in registration order; resolve `(a, b)` from the
/// table and per-op overrides; build the exponent graph — traced from one forward pass on a sample input when
/// `sampleForward` is given, otherwise the chain of weighted ops in registration order; apply alignment overrides;
/// solve the LP; then set multipliers and re-initialize weights (biases zero).
///
/// ```swift
/// let model = MLP<Float>(configuration)              // layers marked embedding / hidden / readout
/// let p = try Parametrization(model: model, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 1e-2))
/// let optimizer = Adam(groups: p.parameterGroups())
/// print(p.table)                                     // name, role, width, a, b, c, lr, r, alignment
/// ```
public final class Parametrization<Scalar: TensorScalar> {
    /// The configuration it was built from (``lrPrefactor`` may change afterwards).
    public let configuration: ParametrizationConfiguration
    /// The marked ops in registration order.
    public let ops: [any ParametrizableOp<Scalar>]
    /// The exponent graph the LP is solved on.
    public private(set) var graph: ExponentGraph
    /// Current learning-rate exponent per weighted op.
    public private(set) var c: [String: Double]
    /// Current update exponent per graph node.
    public private(set) var r: [String: Double]
    /// Current alignment per op.
    public private(set) var alignments: [String: Alignment]
    /// Ops whose alignment is fixed by an override.
    public let pinned: Set<String>
    /// Ops whose `c` is fixed.
    public private(set) var fixedC: [String: Double]
    /// `η` in `lr = η · width^-c`; global schedules act by changing it.
    public var lrPrefactor: Double
    /// `(a, b)` and width per op name (for an op sharing another's weight, the applied ones: see ``tiedWeights``).
    public private(set) var exponents: [String: (role: LayerRole, width: Int, ab: ABExponents)]
    /// The standard-parametrization `(a, b)` per op name, which the op has at the base width (``BaseWidth``).
    public private(set) var standardExponents: [String: ABExponents]
    /// Weights shared by two ops (tied input/output embeddings, mup#55): what each role wanted and how the conflict
    /// was resolved. Empty without ties.
    public private(set) var tiedWeights: [TiedWeight] = []
    /// The sharer → owner op name of each tied weight.
    private var weightOwner: [String: String] = [:]

    private let otherParameters: [(name: String, parameter: Parameter<Scalar>)]
    /// With ``DepthScaling``: the unmanaged parameters inside residual blocks (``ResidualBlock``: the blocks' norm
    /// gains and biases), which get CompleteP's depth-scaled rate and ε in their own `_blocks` group.
    private let blockParameters: [(name: String, parameter: Parameter<Scalar>)]

    /// Parametrizes `model`; `sampleForward`, if given, runs one forward pass on a sample input on the tape it is
    /// passed, so the real data-flow graph can be traced.
    public init<M: Module>(
        model: M, configuration: ParametrizationConfiguration = .init(),
        sampleForward: ((Tape<Scalar>) -> Void)? = nil
    ) throws(ParametrizationError) where M.Scalar == Scalar {
        self.configuration = configuration
        self.lrPrefactor = configuration.lrPrefactor

        // 1. Marked ops, registration order.
        var found: [any ParametrizableOp<Scalar>] = []
        var seen = Set<ObjectIdentifier>()
        for (_, module) in model.namedModules() {
            guard let op = module as? any ParametrizableOp<Scalar>, op.marking != nil else { continue }
            if seen.insert(ObjectIdentifier(op)).inserted { found.append(op) }
        }
        guard !found.isEmpty else { throw .noParametrizedOps }
        ops = found

        // 2. Exponents.
        if let base = configuration.base, base.base < 1 || base.width < 1 {
            throw .invalidBaseWidth(base: base.base, width: base.width)
        }
        if let problem = configuration.depth?.problem { throw .invalidDepthScaling(problem) }
        var exps: [String: (role: LayerRole, width: Int, ab: ABExponents)] = [:]
        var standards: [String: ABExponents] = [:]
        let spTable = NamedParametrization.sp.table
        for op in found {
            let marking = op.marking!
            let name = op.opName
            guard exps[name] == nil else { throw .duplicateOpName(name) }
            guard marking.width > 0 else { throw .invalidWidth(op: name, width: marking.width) }
            guard let row = configuration.abTable[marking.role.rawValue] else {
                throw .unknownRole(op: name, role: marking.role.rawValue, known: configuration.abTable.keys.sorted())
            }
            let ab = ABExponents(a: marking.a ?? row.a, b: marking.b ?? row.b)
            for (label, value) in [("a", ab.a), ("b", ab.b), ("c", marking.c ?? 0)] where !value.isFinite {
                throw .nonFiniteExponent(op: name, exponent: label, value: value)
            }
            exps[name] = (marking.role, marking.width, ab)
            standards[name] = marking.standard ?? spTable[marking.role] ?? ab
        }
        exponents = exps
        standardExponents = standards

        // 3. Alignment per op (overrides pin), fixed c.
        let names = found.map(\.opName)
        let roles = Set(exps.values.map(\.role.rawValue))
        for key in configuration.alignmentOverrides.keys.sorted()
        where !names.contains(key) && !roles.contains(key) && !names.contains(where: { Self.leaf($0) == key }) {
            throw .unknownOverrideKey(key, known: names + roles.sorted())
        }
        var aligns: [String: Alignment] = [:]
        var pins = Set<String>()
        for name in names {
            if let pinnedValue = Self.override(for: name, role: exps[name]!.role.rawValue, in: configuration.alignmentOverrides) {
                aligns[name] = pinnedValue
                pins.insert(name)
            } else {
                aligns[name] = configuration.alignment.alignment
            }
        }
        alignments = aligns
        pinned = pins
        var fixed: [String: Double] = [:]
        for op in found where op.scaledWeight != nil {
            let role = exps[op.opName]!.role.rawValue
            if let value = op.marking!.c ?? configuration.cOverrides[role] { fixed[op.opName] = value }
        }
        fixedC = fixed

        // 4. Graph: traced or chain.
        graph = try Self.buildGraph(
            ops: found, exponents: exps, alignments: aligns, preset: configuration.alignment.alignment,
            sampleForward: sampleForward)

        // 5. Solve.
        c = [:]
        r = [:]
        let unmanaged = Self.unmanagedParameters(of: model, ops: found)
        if configuration.depth != nil {
            var inBlocks = Set<ObjectIdentifier>()
            for (_, module) in model.namedModules() where module is any ResidualBlock {
                for (_, parameter) in module.namedParameters() { inBlocks.insert(ObjectIdentifier(parameter)) }
            }
            blockParameters = unmanaged.filter { inBlocks.contains(ObjectIdentifier($0.parameter)) }
            otherParameters = unmanaged.filter { !inBlocks.contains(ObjectIdentifier($0.parameter)) }
        } else {
            blockParameters = []
            otherParameters = unmanaged
        }
        try resolve()

        // 5b. Tied weights: the sharer takes the owner's init and learning rate and keeps its update scaling through
        // its multiplier; the LP is solved again with those exponents (c fixed at the owner's).
        try tieSharedWeights(sampleForward: sampleForward)

        // 6. Multipliers and initialization.
        reinitialize()
    }

    // MARK: Tied weights

    /// Finds ops whose weight is the same parameter, records the conflict (``TiedWeight``; the embedding-role op, else
    /// the first registered, owns the weight), applies mup's resolution and re-solves. A sharer with its own init σ (or zero-init) is an error: the weight is drawn once.
    private func tieSharedWeights(sampleForward: ((Tape<Scalar>) -> Void)?) throws(ParametrizationError) {
        var ties: [(owner: any ParametrizableOp<Scalar>, sharer: any ParametrizableOp<Scalar>)] = []
        for (index, op) in ops.enumerated() {
            guard let weight = op.scaledWeight,
                  let earlier = ops[..<index].first(where: { $0.scaledWeight === weight }) else { continue }
            // The embedding owns the table (mup's MuSharedReadout), whichever was registered first.
            let laterIsEmbedding = exponents[op.opName]?.role == .embedding && exponents[earlier.opName]?.role != .embedding
            ties.append(laterIsEmbedding ? (op, earlier) : (earlier, op))
        }
        guard !ties.isEmpty else { return }
        for (owner, sharer) in ties {
            let (ownerName, sharerName) = (owner.opName, sharer.opName)
            if let sigma = sharer.marking?.initScale, sigma != (owner.marking?.initScale ?? configuration.stdPrefactor) {
                throw .tiedWeightInitialization(owner: ownerName, sharer: sharerName, initScale: sigma)
            }
            let o = exponents[ownerName]!, s = exponents[sharerName]!
            let tie = TiedWeight(
                owner: ownerName, ownerRole: o.role.rawValue, sharer: sharerName, sharerRole: s.role.rawValue,
                ownerExponents: .init(a: o.ab.a, b: o.ab.b, c: c[ownerName] ?? 0, bStandard: standardExponents[ownerName]!.b),
                wanted: .init(a: s.ab.a, b: s.ab.b, c: c[sharerName] ?? 0, bStandard: standardExponents[sharerName]!.b))
            tiedWeights.append(tie)
            weightOwner[sharerName] = ownerName
            exponents[sharerName] = (s.role, s.width, ABExponents(a: tie.applied.a, b: tie.applied.b))
            standardExponents[sharerName] = ABExponents(a: standardExponents[sharerName]!.a, b: tie.applied.bStandard)
            fixedC[ownerName] = tie.ownerExponents.c
            fixedC[sharerName] = tie.ownerExponents.c
        }
        graph = try Self.buildGraph(ops: ops, exponents: exponents, alignments: alignments,
                                    preset: configuration.alignment.alignment, sampleForward: sampleForward)
        try resolve()
    }

    // MARK: Solving

    /// Re-solves the LP with the current ``alignments``; on failure nothing changes.
    public func resolve() throws(ParametrizationError) {
        let nodes = graph.nodes.map { node -> ExponentNode in
            var copy = node
            if let value = alignments[node.name] { copy.alignment = value }
            return copy
        }
        let updated: ExponentGraph
        let solution: ExponentSolution
        do {
            updated = try ExponentGraph(nodes: nodes)
            solution = try ExponentLP.solveForParametrization(
                updated, optimizer: configuration.optimizer, fixedC: fixedC)
        } catch {
            throw .exponentLP(error)
        }
        graph = updated
        c = solution.c
        r = solution.r
    }

    /// Replaces measured alignments (pinned ops are left alone) without re-solving.
    public func setAlignments(_ measured: [String: Alignment]) {
        for (name, value) in measured where !pinned.contains(name) && alignments[name] != nil {
            alignments[name] = value
        }
    }

    /// Sets the learning-rate exponents directly (used by dynamic smoothing of `c`).
    public func setLearningRateExponents(_ values: [String: Double]) {
        for (name, value) in values where c[name] != nil { c[name] = value }
    }

    // MARK: Multipliers, initialization, groups

    /// Sets every op's multiplier to `outputScale · width^-a` (times `(L/L₀)^-α` on a residual branch output under
    /// ``DepthScaling``) and re-draws every weight from `N(0, (σ · width^-b)²)` (σ: the op's `initScale`, else the configuration's) (with a
    /// ``BaseWidth``: `n₀^-a_SP · ratio^-a` and `σ · n₀^-b_SP · ratio^-b`); other parameters of the ops (biases)
    /// become zero.
    ///
    /// Each op draws from its own generator, derived from the configuration's seed and the op's position, so one
    /// op's initial weight can be regenerated bit for bit (``initialWeight(of:)``) without storing it.
    public func reinitialize() {
        for op in ops {
            let ab = exponents[op.opName]!.ab
            let standardA = standardExponents[op.opName]!.a
            let scale = (op.marking?.outputScale ?? 1) * branchMultiplier(of: op.opName)
            op.multiplier = ab.a == 0 && (configuration.base == nil || standardA == 0)
                ? Scalar(scale) : Scalar(scale * widthFactor(op.opName, exponent: ab.a, standard: standardA))
            // A shared weight is drawn once, by its owner (registered first).
            guard weightOwner[op.opName] == nil else { continue }
            guard let weight = op.scaledWeight, var draw = initialDraw(of: op.opName) else { continue }
            // Into the weight's own storage when nothing else holds it (no second weight-sized buffer per op).
            weight.value.redrawNormal(standardDeviation: draw.standardDeviation, using: &draw.generator)
            for (_, parameter) in op.groupParameters where parameter !== weight {
                parameter.value = Tensor(zeros: parameter.shape)
            }
        }
    }

    /// The weight ``reinitialize()`` gives the op named `name`, regenerated from the seed (bit-identical);
    /// `nil` for a parameter-free or unknown op.
    public func initialWeight(of name: String) -> Tensor<Scalar>? {
        guard var draw = initialDraw(of: name) else { return nil }
        guard draw.standardDeviation != 0 else { return Tensor(zeros: draw.shape) }
        return Tensor.randomNormal(shape: draw.shape, standardDeviation: draw.standardDeviation, using: &draw.generator)
    }

    /// What ``initialWeight(of:)`` draws for the op named `name` (its owner's, for a tied weight): shape, standard
    /// deviation `σ · width^-b` and the op's own generator; `nil` for a parameter-free or unknown op.
    private func initialDraw(of name: String)
        -> (shape: [Int], standardDeviation: Scalar, generator: SeededGenerator)? {
        if let owner = weightOwner[name] { return initialDraw(of: owner) }
        guard let index = ops.firstIndex(where: { $0.opName == name }), let weight = ops[index].scaledWeight,
            let ab = exponents[name]?.ab
        else { return nil }
        let sigma = ops[index].marking?.initScale ?? configuration.stdPrefactor
        let std = sigma * widthFactor(name, exponent: ab.b, standard: standardExponents[name]!.b)
        return (weight.shape, Scalar(std), SeededGenerator.derived(from: configuration.initializationSeed, index))
    }

    /// The learning rate `η · width^-c` (with a ``BaseWidth``: `η · ratio^-c`) of a weighted op, or `η` for
    /// anything else; with ``DepthScaling``, a hidden op's rate is further multiplied by `(L/L₀)^(α−1)` (Adam) or
    /// `(L/L₀)^(2α−1)` (SGD).
    public func learningRate(for name: String) -> Double {
        guard let cValue = c[name], let entry = exponents[name] else { return lrPrefactor }
        let depthFactor = entry.role == .hidden
            ? configuration.depth?.hiddenLearningRateFactor(optimizer: configuration.optimizer) ?? 1 : 1
        return lrPrefactor * widthFactor(name, exponent: cValue, standard: 0) * depthFactor
    }

    /// The learning rate of the `_blocks` group (norm gains and biases inside residual blocks, ``DepthScaling``):
    /// `η · (L/L₀)^(α−1)` (Adam) or `η · (L/L₀)^(2α−1)` (SGD); `η` without depth scaling.
    public var blockLearningRate: Double {
        lrPrefactor * (configuration.depth?.blockLearningRateFactor(optimizer: configuration.optimizer) ?? 1)
    }

    /// The factor Adam's ε is multiplied by for the op named `name` (CompleteP, ``DepthScaling``): a hidden op's
    /// `m_N^-1 · (L/L₀)^-α` with `m_N = n / n₀` (`n` itself without a base width) under Adam; 1 otherwise.
    public func epsilonMultiplier(for name: String) -> Double {
        guard let depth = configuration.depth, let entry = exponents[name], entry.role == .hidden else { return 1 }
        return depth.blockEpsilonFactor(widthRatio: Double(entry.width) / baseWidth(of: name), optimizer: configuration.optimizer)
    }

    /// The factor Adam's ε is multiplied by in the `_blocks` group: `m_N^-1 · (L/L₀)^-α` with the model's width ratio
    /// (with a base width), else the norms' width `d` (base width 1); `nil` when there is no such group.
    public var blockEpsilonMultiplier: Double? {
        guard let depth = configuration.depth, let first = blockParameters.first else { return nil }
        let widthRatio = configuration.base?.ratio ?? Double(first.parameter.shape.last ?? 1)
        return depth.blockEpsilonFactor(widthRatio: widthRatio, optimizer: configuration.optimizer)
    }

    /// The dotted names of the parameters in the `_blocks` group (empty without ``DepthScaling``).
    public var blockParameterNames: [String] { blockParameters.map(\.name) }

    /// The depth-µP multiplier `(L/L₀)^-α` of the op named `name` when it ends a residual branch
    /// (``OpMarking/isResidualBranchOutput``) and the configuration has ``DepthScaling``; 1 otherwise.
    public func branchMultiplier(of name: String) -> Double {
        guard let depth = configuration.depth,
              let op = ops.first(where: { $0.opName == name }), op.marking?.isResidualBranchOutput == true else { return 1 }
        return depth.branchMultiplier
    }

    /// The op's base width `n₀ = n / ratio` (``BaseWidth``), or 1 without a base (then `n / n₀` is the width `n`).
    public func baseWidth(of name: String) -> Double {
        guard let base = configuration.base, let width = exponents[name]?.width else { return 1 }
        return Double(width) / base.ratio
    }

    /// `n₀^-standard · (n / n₀)^-exponent` for the op named `name` (`n^-exponent` without a base).
    func widthFactor(_ name: String, exponent: Double, standard: Double) -> Double {
        let width = Double(exponents[name]!.width)
        guard configuration.base != nil else { return Foundation.pow(width, -exponent) }
        let n0 = baseWidth(of: name)
        return Foundation.pow(n0, -standard) * Foundation.pow(width / n0, -exponent)
    }

    /// One learning-rate group per weighted op (all its parameters, `lr = η · width^-c`), then one `_other` group at
    /// `η` with every parameter not in an op group (norm gains, unmarked layers). A tied weight is in its owner's
    /// group only (the sharer's group holds its other parameters, and is left out when it has none).
    ///
    /// With ``DepthScaling`` the parameters of `_other` inside residual blocks form a `_blocks` group before it, at
    /// ``blockLearningRate``, and the groups inside the blocks carry CompleteP's ε factor
    /// (``ParameterGroup/epsilonMultiplier``: ``epsilonMultiplier(for:)``, ``blockEpsilonMultiplier``).
    public func parameterGroups(weightDecay: Double = 0) -> [ParameterGroup<Scalar>] {
        var groups: [ParameterGroup<Scalar>] = []
        var grouped = Set<ObjectIdentifier>()
        for op in ops where op.scaledWeight != nil {
            let name = op.opName
            let parameters = op.groupParameters.filter { grouped.insert(ObjectIdentifier($0.parameter)).inserted }
            guard !parameters.isEmpty else { continue }
            groups.append(
                ParameterGroup(
                    name: name, parameters: parameters.map { (name: "\(name).\($0.name)", parameter: $0.parameter) },
                    learningRate: learningRate(for: name), weightDecay: weightDecay, width: exponents[name]!.width,
                    c: c[name], isManaged: true))
            groups[groups.count - 1].epsilonMultiplier = epsilonMultiplier(for: name)
        }
        if !blockParameters.isEmpty {
            var group = ParameterGroup(name: "_blocks", parameters: blockParameters, learningRate: blockLearningRate,
                                       weightDecay: weightDecay, isManaged: false)
            group.epsilonMultiplier = blockEpsilonMultiplier ?? 1
            groups.append(group)
        }
        if !otherParameters.isEmpty {
            groups.append(
                ParameterGroup(
                    name: "_other", parameters: otherParameters, learningRate: lrPrefactor, weightDecay: weightDecay,
                    isManaged: false))
        }
        return groups
    }

    /// Writes the current learning rates (`η · width^-c` per managed group, `η` for `_other`,
    /// ``blockLearningRate`` for `_blocks`) into the optimizer's groups, matched by group name; groups the
    /// parametrization does not know keep their rate.
    public func applyLearningRates(to optimizer: any Optimizer<Scalar>) {
        var groups = optimizer.groups
        for index in groups.indices {
            let name = groups[index].name
            if name == "_other" {
                groups[index].learningRate = lrPrefactor
            } else if name == "_blocks" && !blockParameters.isEmpty {
                groups[index].learningRate = blockLearningRate
            } else if c[name] != nil {
                groups[index].learningRate = learningRate(for: name)
                groups[index].c = c[name]
            }
        }
        optimizer.groups = groups
    }

    /// The per-op table: name, role, width, a, b, c, learning rate, r, alignment (graph order of ops).
    public var table: [ParametrizationTableRow] {
        ops.map { op in
            let name = op.opName
            let (role, width, ab) = exponents[name]!
            let weighted = op.scaledWeight != nil
            return ParametrizationTableRow(
                name: name, role: role.rawValue, width: width, a: ab.a, b: ab.b,
                c: weighted ? c[name] : nil, learningRate: weighted ? learningRate(for: name) : nil,
                r: r[name] ?? .nan, alignment: alignments[name]!, isPinned: pinned.contains(name),
                isCFixed: fixedC[name] != nil, tiedWeight: tiedWeights.first { $0.sharer == name },
                epsilonMultiplier: weighted && configuration.depth != nil ? epsilonMultiplier(for: name) : nil)
        }
    }

    // MARK: Helpers

    static func leaf(_ name: String) -> String {
        name.split(separator: ".").last.map(String.init) ?? name
    }

    static func override(for name: String, role: String, in overrides: [String: Alignment]) -> Alignment? {
        overrides[name] ?? overrides[leaf(name)] ?? overrides[role]
    }

    private static func unmanagedParameters<M: Module>(
        of model: M, ops: [any ParametrizableOp<Scalar>]
    ) -> [(name: String, parameter: Parameter<Scalar>)] where M.Scalar == Scalar {
        var managed = Set<ObjectIdentifier>()
        for op in ops where op.scaledWeight != nil {
            for (_, p) in op.groupParameters { managed.insert(ObjectIdentifier(p)) }
        }
        return model.namedParameters().filter { !managed.contains(ObjectIdentifier($0.parameter)) }
    }

    private static func buildGraph(
        ops: [any ParametrizableOp<Scalar>], exponents: [String: (role: LayerRole, width: Int, ab: ABExponents)],
        alignments: [String: Alignment], preset: Alignment, sampleForward: ((Tape<Scalar>) -> Void)?
    ) throws(ParametrizationError) -> ExponentGraph {
        func node(_ op: any ParametrizableOp<Scalar>, predecessors: [String], merge: MergeType) -> ExponentNode {
            let (role, width, ab) = exponents[op.opName]!
            return ExponentNode(
                name: op.opName, layerType: role.rawValue, a: ab.a, b: ab.b, hasWeight: op.scaledWeight != nil,
                width: width, predecessors: predecessors, mergeType: merge, alignment: alignments[op.opName]!)
        }
        var nodes: [ExponentNode] = []
        if let sampleForward {
            let tape = Tape<Scalar>(recordsGradients: false)
            sampleForward(tape)
            let names = Set(ops.map(\.opName))
            let trace = DataFlowTrace(tape: tape, isParametrized: { names.contains($0) })
            guard trace.nodes.contains(where: { !$0.isMerge }) else { throw .traceReachedNoOps }
            let byName = Dictionary(uniqueKeysWithValues: ops.map { ($0.opName, $0) })
            for traced in trace.nodes {
                if traced.isMerge {
                    nodes.append(
                        ExponentNode(
                            name: traced.name, layerType: "merge", a: 0, b: 0, hasWeight: false, width: 0,
                            predecessors: traced.predecessors, mergeType: traced.mergeType, alignment: preset))
                } else {
                    nodes.append(node(byName[traced.name]!, predecessors: traced.predecessors, merge: traced.mergeType))
                }
            }
            // Marked ops the sample never reached stand alone (a source that is also a sink).
            for op in ops where trace.node(named: op.opName) == nil {
                nodes.append(node(op, predecessors: [], merge: .min))
            }
        } else {
            var previous: String?
            for op in ops where op.scaledWeight != nil {
                nodes.append(node(op, predecessors: previous.map { [$0] } ?? [], merge: .min))
                previous = op.opName
            }
        }
        do {
            return try ExponentGraph(nodes: nodes)
        } catch {
            throw .exponentLP(error)
        }
    }
}
