/// The layout of a coord-check CSV from outside, detected from its header.
public enum ImportFormat: String, Codable, Sendable, CaseIterable {
    /// What `df.to_csv(path)` writes for a microsoft `mup` `get_coord_data` frame: an optional unnamed index column,
    /// `width,module,t` and statistic columns, no seed column (seeds are repeated blocks of rows), `t` from 1.
    case mup
    /// One row per (width, seed, t, op): `width` or `axis_value`, `seed`, `t` (0 = init), `module` or `op`, statistic
    /// columns; our own `coord_data.csv` is one case of it.
    case tidy

    /// The step that stands for initialization in files of this format (mup: 1, tidy: 0).
    public var detectedTOrigin: Int { self == .mup ? 1 : 0 }

    /// How the report names the format.
    public var title: String {
        switch self {
        case .mup: "mup (pandas `df.to_csv` of a `get_coord_data` frame)"
        case .tidy: "tidy (one row per width, seed, t and op)"
        }
    }
}
