import MaxP

/// Which rule judges one imported op, and why: a role from the declaration or from the name, or mup's own Θ(1) rule.
public struct RoleAssignment: Sendable, Equatable {
    /// Where the role came from.
    public enum Source: Sendable, Equatable {
        /// The declaration entry `match` (at index `index` of `ops`).
        case declaration(match: String, index: Int)
        /// The name: the token that matched a pattern of ``OpRoleNames``.
        case name(token: String)
        /// Nothing: judged by mup's rule.
        case none
    }

    /// The op.
    public var op: String
    /// The role (`nil`: judged by mup's rule).
    public var role: OpRole?
    /// Where it came from.
    public var source: Source
    /// The theory graph entry (`nil` for an ignored op).
    public var descriptor: OpDescriptor?

    /// The rule, in words, for the report (`role readout, from the name (`head`)`).
    public var reason: String {
        switch (role, source) {
        case let (role?, .declaration(match, _)):
            let rule = descriptor?.kind == OpRule.thetaOne.rawValue ? "; no inputs declared, so judged by mup's Θ(1) rule" : ""
            return "role \(role.rawValue), from the declaration (`\(match)`)\(rule)"
        case let (role?, .name(token)): return "role \(role.rawValue), from the name (`\(token)`)"
        default: return "mup's rule (Θ(1) at every width: init slope 0, no growth after training): no role declared or recognised in the name"
        }
    }

    /// Assigns every op of `ops` (in data order): the declaration's first matching entry, else the name's role,
    /// else mup's rule. Returns the assignments in topological order of the declared inputs (data order otherwise).
    public static func assign(ops: [String], declaration: Declaration?,
                              declarationPath: String = "declaration") throws(DeclarationError) -> [RoleAssignment] {
        let parametrization = declaration?.parametrization ?? .mup
        let known = Set(ops)
        var result: [RoleAssignment] = []
        for op in ops {
            if let (index, entry) = declaration?.entry(for: op) {
                for input in entry.inputs ?? [] where !known.contains(input) {
                    throw .unknownInput(path: declarationPath, op: op, input: input)
                }
                result.append(RoleAssignment(op: op, role: entry.role, source: .declaration(match: entry.match, index: index),
                                             descriptor: descriptor(op, role: entry.role, entry: entry, parametrization)))
            } else if let match = OpRoleNames.role(forName: op) {
                result.append(RoleAssignment(op: op, role: match.role, source: .name(token: match.token),
                                             descriptor: descriptor(op, role: match.role, entry: nil, parametrization)))
            } else {
                result.append(RoleAssignment(op: op, role: nil, source: .none,
                                             descriptor: OpDescriptor(op: op, kind: OpRule.thetaOne.rawValue)))
            }
        }
        return try topologicallySorted(result, path: declarationPath)
    }

    /// The graph entry of `op` with `role` under `parametrization`, with the entry's overrides and inputs.
    static func descriptor(_ op: String, role: OpRole, entry: Declaration.Entry?,
                           _ parametrization: Declaration.Parametrization) -> OpDescriptor? {
        let inputs = entry?.inputs ?? []
        switch role {
        case .ignore:
            return nil
        case .input, .hidden, .readout, .attentionLogits:
            var (a, b) = defaultExponents(role, parametrization)
            a = entry?.a ?? a
            b = entry?.b ?? b
            let exponents = ParametrizedExponents(a: a, b: b, r: 0, contractsOverWidth: role != .input,
                                                  hasWeight: role != .attentionLogits)
            return OpDescriptor(op: op, kind: role.rawValue, inputs: inputs, exponents: exponents)
        case .elementwise, .residual:
            // Without inputs there is nothing to follow: mup's rule.
            let kind = inputs.isEmpty ? OpRule.thetaOne.rawValue : role.rawValue
            return OpDescriptor(op: op, kind: kind, inputs: inputs, multiplierA: entry?.a)
        case .norm, .softmax:
            return OpDescriptor(op: op, kind: role.rawValue, inputs: inputs, multiplierA: entry?.a)
        }
    }

    /// The `(a, b)` of a parametrized role: the core's tables (``NamedParametrization/table``; input = embedding),
    /// and for attention logits `a = 1` (`1/d`) under µP and MFP, `a = ½` (`1/√d`) under SP and NTK.
    public static func defaultExponents(_ role: OpRole, _ parametrization: Declaration.Parametrization) -> (a: Double, b: Double) {
        let named: NamedParametrization
        switch parametrization {
        case .mup: named = .mup
        case .sp: named = .sp
        case .ntk: named = .ntk
        case .mfp: named = .mfp
        }
        let table = named.table
        switch role {
        case .input: return (table[.embedding]!.a, table[.embedding]!.b)
        case .readout: return (table[.readout]!.a, table[.readout]!.b)
        case .attentionLogits: return (parametrization == .mup || parametrization == .mfp ? 1 : 0.5, 0)
        default: return (table[.hidden]!.a, table[.hidden]!.b)
        }
    }

    /// Stable topological order of the declared inputs (Kahn's algorithm, ties in data order).
    static func topologicallySorted(_ assignments: [RoleAssignment], path: String) throws(DeclarationError) -> [RoleAssignment] {
        guard assignments.contains(where: { !($0.descriptor?.inputs.isEmpty ?? true) }) else { return assignments }
        let position = Dictionary(uniqueKeysWithValues: assignments.enumerated().map { ($1.op, $0) })
        var remaining = assignments.map { Set(($0.descriptor?.inputs ?? []).compactMap { position[$0] }) }
        var done = Array(repeating: false, count: assignments.count)
        var order: [RoleAssignment] = []
        while order.count < assignments.count {
            guard let next = remaining.indices.first(where: { !done[$0] && remaining[$0].isEmpty }) else {
                let stuck = remaining.indices.first { !done[$0] }!
                throw .cycle(path: path, op: assignments[stuck].op)
            }
            done[next] = true
            order.append(assignments[next])
            for index in remaining.indices { remaining[index].remove(next) }
        }
        return order
    }
}
