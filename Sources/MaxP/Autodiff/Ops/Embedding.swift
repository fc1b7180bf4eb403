/// Differentiable row lookup in an embedding table (gather forward, scatter-add backward).
extension Variable {
    /// Rows `ids` of this table `[V, d]`, arranged as `shape + [d]` (`shape` describes how the ids are laid out,
    /// e.g. `[batch, time]`; its element count must equal `ids.count`).
    ///
    /// Gradient: each output row's gradient is added into the table row it came from, so an id used several times
    /// accumulates all of its gradients.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func gatherRows(_ ids: [Int], shape: [Int]) -> Variable {
        let table = value
        precondition(table.rank == 2, "gatherRows: table must be [vocabulary, dimension], got \(table.shape)")
        precondition(
            shape.reduce(1, *) == ids.count,
            "gatherRows: \(ids.count) ids cannot be laid out as shape \(shape) (needs \(shape.reduce(1, *)))")
        let vocabulary = table.shape[0], d = table.shape[1]
        for id in ids {
            precondition(
                id >= 0 && id < vocabulary,
                "gatherRows: id \(id) is out of range for vocabulary size \(vocabulary) (table \(table.shape))")
        }
        let out = Tensor<Scalar>(shape: shape + [d]) { o in
            table.scalars.withUnsafeBufferPointer { t in
                ids.withUnsafeBufferPointer { idp in
                    guard let table = t.baseAddress, let rows = o.baseAddress else { return }
                    for k in 0..<idp.count { (rows + k * d).initialize(from: table + idp[k] * d, count: d) }
                }
            }
        }
        return tape.record(.embedding, inputs: [self], value: out) { g in
            let dTable = Tensor<Scalar>(shape: table.shape) { o in
                o.initialize(repeating: 0)
                g.scalars.withUnsafeBufferPointer { gp in
                    ids.withUnsafeBufferPointer { idp in
                        guard let table = o.baseAddress, let rows = gp.baseAddress else { return }
                        for k in 0..<idp.count {
                            let row = table + idp[k] * d, source = rows + k * d
                            for j in 0..<d { row[j] += source[j] }
                        }
                    }
                }
            }
            return [dTable]
        }
    }
}
