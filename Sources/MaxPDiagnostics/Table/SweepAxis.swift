/// The integer axis a sweep varies: `width` by default, or any other integer hyperparameter (`depth`, `heads`, …).
/// Encoded as its bare name (`"width"`).
public struct SweepAxis: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The axis name as written in files (`width`, `depth`, `heads`).
    public var rawValue: String

    /// Creates an axis from its name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The model width n (hidden size; head dimension grows with it at a fixed head count).
    public static let width = SweepAxis(rawValue: "width")
    /// The number of blocks / hidden layers.
    public static let depth = SweepAxis(rawValue: "depth")
    /// The number of attention heads.
    public static let heads = SweepAxis(rawValue: "heads")

    /// The axis name.
    public var description: String { rawValue }

    /// Decodes a bare string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes a bare string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
