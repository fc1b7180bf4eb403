/// Which residual block of a depth-`L` network a series follows across depths: ops are matched by relative
/// position, not by name (`fc_2` of a 2-block and of a 32-block network are different places).
///
/// Block indices are 0-based: `first` is block 0, `middle` block `L / 2` (rounded down), `last` block `L − 1`. At
/// small depths positions coincide (depth 1: all three are block 0; depth 2: `middle` and `last` are block 1), and
/// the same measurement then belongs to several series.
public enum BlockPosition: String, CaseIterable, Codable, Sendable {
    /// Block 0.
    case first
    /// Block `L / 2`.
    case middle
    /// Block `L − 1`.
    case last

    /// The block index of this position in a network of `depth` blocks.
    public func index(depth: Int) -> Int {
        switch self {
        case .first: 0
        case .middle: depth / 2
        case .last: depth - 1
        }
    }

    /// How many blocks the residual stream has summed after this position's block, for a network of `depth`
    /// blocks (`first`: 1; `middle`: `L/2 + 1`; `last`: `L`): what makes the stream grow with depth.
    public func blocksSummed(depth: Int) -> Int { index(depth: depth) + 1 }
}

/// An op call site inside a residual block, parsed from its dotted name: `blocks.3.attn.o` is block 3 of the
/// container `blocks`, local name `attn.o` (the first all-digit path component is the block index).
public struct BlockSite: Hashable, Sendable {
    /// The container's path (`blocks`).
    public var container: String
    /// The block index.
    public var index: Int
    /// The op's name inside the block (`attn.o`, `add#1`).
    public var local: String

    /// Parses `op`; `nil` when no path component after the first is an integer followed by a local name.
    public init?(op: String) {
        let parts = op.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let position = parts.indices.dropFirst().first(where: { index in
            !parts[index].isEmpty && parts[index].allSatisfy(\.isASCII) && parts[index].allSatisfy(\.isNumber)
        }), position + 1 < parts.count, let index = Int(parts[position]) else { return nil }
        container = parts[..<position].joined(separator: ".")
        self.index = index
        local = parts[(position + 1)...].joined(separator: ".")
    }

    /// The series name of this local op at `position`: `last.attn.o`.
    public func seriesName(at position: BlockPosition) -> String { "\(position.rawValue).\(local)" }

    /// Whether the op is the block's own residual sum level (no further path component: `add`, `add#1`).
    public var isAtBlockLevel: Bool { !local.contains(".") }
}
