import MaxPDiagnostics

/// Which ops a crowded coord-check figure draws in colour: the ones the reader needs to tell apart.
///
/// Every flagged op (verdict `grows`/`shrinks` at some drawn step) is coloured, whatever the budget. The rest of
/// the budget goes, in this order, to the input ops (`embedding`, `input`), the readout (`readout`, `output`),
/// the attention logits, one representative per block (its last op in graph order, e.g. the residual sum that is
/// the block's output; a block is a name prefix `name.N`, as in `blocks.3.mlp.fc_in`), the parametrized hidden
/// layers, and then the remaining ops in graph order. Everything else is drawn grey and named in the caption.
struct CoordCheckColoring: Equatable {
    /// The coloured ops, in graph order.
    var colored: [String]
    /// The grey ops, in graph order.
    var grey: [String]

    /// Kinds of the input ops.
    static let inputKinds: Set<String> = ["embedding", "input"]
    /// Kinds of the readout ops.
    static let readoutKinds: Set<String> = ["readout", "output"]
    /// Kinds of the attention logits.
    static let attentionKinds: Set<String> = ["attention_logits"]
    /// Kinds of parametrized hidden layers.
    static let hiddenKinds: Set<String> = ["hidden"]

    /// Chooses among `ops` (graph order) with `kind` giving each op's kind, `flagged` the flagged ops and at most
    /// `limit` coloured ops (flagged ops beyond it stay coloured).
    init(ops: [String], kind: (String) -> String, flagged: Set<String>, limit: Int) {
        guard ops.count > limit else { colored = ops; grey = []; return }
        var chosen = Set(ops.filter(flagged.contains))
        func take(_ candidates: [String]) {
            for op in candidates where chosen.count < limit { chosen.insert(op) }
        }
        take(ops.filter { Self.inputKinds.contains(kind($0)) })
        take(ops.filter { Self.readoutKinds.contains(kind($0)) })
        take(ops.filter { Self.attentionKinds.contains(kind($0)) })
        take(Self.blockRepresentatives(ops))
        take(ops.filter { Self.hiddenKinds.contains(kind($0)) })
        take(ops)
        colored = ops.filter(chosen.contains)
        grey = ops.filter { !chosen.contains($0) }
    }

    /// The block of an op: its name up to the first numeric component (`blocks.3.attn.qk` → `blocks.3`), or nil.
    static func block(of op: String) -> String? {
        let parts = op.split(separator: ".", omittingEmptySubsequences: false)
        guard let index = parts.firstIndex(where: { !$0.isEmpty && $0.allSatisfy(\.isNumber) }), index > 0,
              index < parts.count - 1 else { return nil }
        return parts[...index].joined(separator: ".")
    }

    /// The last op of each block, in block order.
    static func blockRepresentatives(_ ops: [String]) -> [String] {
        var last: [String: String] = [:]
        var order: [String] = []
        for op in ops {
            guard let block = block(of: op) else { continue }
            if last[block] == nil { order.append(block) }
            last[block] = op
        }
        return order.compactMap { last[$0] }
    }
}
