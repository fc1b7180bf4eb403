/// One row of the per-layer abc table a report shows: a layer's role, width and width exponents, its learning rate
/// and the LP's update exponent.
///
/// The layer multiplies its output by `width^-a`, initializes its weight with entries of size `width^-b` and trains
/// with learning rate `lr ∝ width^-c`; its change since init scales as `width^-r`. This is plain data so that the
/// parametrization (core) and the report stay decoupled: whoever builds a run fills these rows.
public struct LayerExponentRow: Codable, Sendable, Equatable {
    /// The layer's dotted name, e.g. `blocks.0.attn.qkv`.
    public var name: String
    /// Its role (`embedding`, `input`, `hidden`, `readout`, `attention_logits`, …).
    public var role: String
    /// Its width (fan-in or the swept width at this run's reference size).
    public var width: Int
    /// Output multiplier exponent: the output is multiplied by `width^-a`.
    public var a: Double
    /// Initialization exponent: weight entries have size `width^-b`.
    public var b: Double
    /// Learning-rate exponent: the layer's learning rate scales as `width^-c`.
    public var c: Double
    /// The layer's actual learning rate at this width, if known.
    public var lr: Double?
    /// The LP's update exponent: the change since init scales as `width^-r` (nil when not solved).
    public var r: Double?
    /// With depth-µP: the factor Adam's ε is multiplied by for this layer (CompleteP's `m_N^-1 · (L/L₀)^-α` inside
    /// the residual blocks, 1 elsewhere); absent without depth-µP.
    public var epsilonFactor: Double? = nil

    /// Creates a row.
    public init(name: String, role: String, width: Int, a: Double, b: Double, c: Double, lr: Double? = nil,
                r: Double? = nil) {
        self.name = name; self.role = role; self.width = width
        self.a = a; self.b = b; self.c = c; self.lr = lr; self.r = r
    }
}
