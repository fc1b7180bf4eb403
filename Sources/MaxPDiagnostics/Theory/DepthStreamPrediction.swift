import Foundation

extension DepthTheory {
    /// The finite-depth prediction of every residual-stream series at initialization, from the measured sizes of
    /// its parts: at init the branch outputs are independent of each other and of the embedding, so the stream's
    /// mean square is the sum of theirs, `rms(h_i)² = rms(embedding)² + Σ_{branches up to block i} rms(branch)²`.
    ///
    /// Returns, per stream series (`last.add#1`), one sample per (depth, seed) of the predicted `rms`; the slope of
    /// their fit is what the stream's size should show at these depths (it tends to `max(0, ½ − α)` as depth grows,
    /// and is smaller at small depths, where the embedding's share is large). Series whose parts are missing from
    /// `table` at some depth get no sample there.
    public func predictedStreamSamples(in table: CoordTable) -> [String: [SlopeSample]] {
        guard hasResidualBlocks else { return [:] }
        struct Key: Hashable { var op: String; var depth: Int; var seed: Int }
        var meanSquare: [Key: Double] = [:]
        for row in table.rows where row.t == 0 && row.rms.isFinite {
            meanSquare[Key(op: row.op, depth: row.axisValue, seed: row.seed)] = row.rms * row.rms
        }
        let descriptors = Dictionary(ops.map { ($0.op, $0) }, uniquingKeysWith: { first, _ in first })
        func isStream(_ op: String) -> Bool {
            guard let site = BlockSite(op: op), site.isAtBlockLevel else { return false }
            if case .stream = place(of: site.seriesName(at: .first)) { return true }
            return false
        }
        var predicted: [Key: Double?] = [:]
        func prediction(_ key: Key) -> Double? {
            if let stored = predicted[key] { return stored }
            guard isStream(key.op), let descriptor = descriptors[key.op], let site = BlockSite(op: key.op) else {
                return meanSquare[key]
            }
            var total = 0.0
            for input in descriptor.inputs {
                let inner = BlockSite(op: input)
                let sameBlock = inner.map { $0.container == site.container && $0.index == site.index } ?? false
                let part = Key(op: input, depth: key.depth, seed: key.seed)
                // The stream input recurses; branch outputs (inside the block) and the root are measured.
                let value = isStream(input) ? prediction(part) : (sameBlock || inner == nil ? meanSquare[part] : nil)
                guard let value else {
                    predicted[key] = .some(nil)
                    return nil
                }
                total += value
            }
            predicted[key] = total
            return total
        }
        var result: [String: [SlopeSample]] = [:]
        let keys = Set(meanSquare.keys.map { Key(op: "", depth: $0.depth, seed: $0.seed) })
        let streamLocals = Set(ops.compactMap { descriptor -> (BlockSite)? in
            guard let site = BlockSite(op: descriptor.op), isStream(descriptor.op) else { return nil }
            return site
        }.map { "\($0.container)\u{0}\($0.local)" })
        for local in streamLocals.sorted() {
            let parts = local.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            for position in BlockPosition.allCases {
                let series = "\(position.rawValue).\(parts[1])"
                for key in keys.sorted(by: { ($0.depth, $0.seed) < ($1.depth, $1.seed) }) {
                    let raw = "\(parts[0]).\(position.index(depth: key.depth)).\(parts[1])"
                    guard let value = prediction(Key(op: raw, depth: key.depth, seed: key.seed)) else { continue }
                    result[series, default: []].append(SlopeSample(axisValue: key.depth, seed: key.seed, value: value.squareRoot()))
                }
            }
        }
        return result
    }
}
