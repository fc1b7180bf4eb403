import Foundation
import _MaxPSupport

/// The per-layer record of a dynamic-alignment run: one ``Record`` per weighted op per step, in memory, exportable
/// as CSV (`step,layer,alpha,omega,u,c,lr,loss`) or JSON.
///
/// The row of step `k` holds the training loss of update `k` (before it was applied), the alignment current after
/// step `k` (measured then, or carried over), and the exponent `c` and learning rate `lr = η · factor · width^-c`
/// that step `k` set for the next update.
public struct AlignmentHistory: Codable, Equatable, Sendable {
    /// One layer at one step.
    public struct Record: Codable, Equatable, Sendable {
        /// The step (1-based).
        public var step: Int
        /// The op name.
        public var layer: String
        /// `α`: alignment of the initial inputs with the weight update.
        public var alpha: Double
        /// `ω`: alignment of the input change with the initial weights.
        public var omega: Double
        /// `u`: alignment of the input change with the weight update.
        public var u: Double
        /// The learning-rate exponent.
        public var c: Double
        /// The learning rate `η · factor · width^-c`.
        public var lr: Double
        /// The training loss of this step (NaN when not given).
        public var loss: Double

        /// Creates a record.
        public init(step: Int, layer: String, alpha: Double, omega: Double, u: Double, c: Double, lr: Double, loss: Double) {
            self.step = step
            self.layer = layer
            self.alpha = alpha
            self.omega = omega
            self.u = u
            self.c = c
            self.lr = lr
            self.loss = loss
        }
    }

    /// Every record, in step order, layers in model order within a step.
    public var records: [Record] = []

    /// Creates an empty history.
    public init() {}

    /// The CSV header.
    public static let csvHeader = "step,layer,alpha,omega,u,c,lr,loss"

    /// The steps recorded, in order.
    public var steps: [Int] {
        var result: [Int] = []
        for record in records where result.last != record.step { result.append(record.step) }
        return result
    }

    /// The records of one layer, in step order.
    public func records(of layer: String) -> [Record] { records.filter { $0.layer == layer } }

    /// The history as CSV: ``csvHeader`` then one row per record; numbers in shortest round-trip form, `nan` for NaN.
    public var csv: String {
        var lines = [Self.csvHeader]
        lines.reserveCapacity(records.count + 1)
        for r in records {
            let fields = [r.alpha, r.omega, r.u, r.c, r.lr, r.loss].map(Self.format)
            lines.append("\(r.step),\(Self.csvField(r.layer)),\(fields.joined(separator: ","))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The history as a JSON array of records (NaN and infinities as the strings `"nan"`, `"inf"`, `"-inf"`).
    public func jsonData() throws -> Data {
        try JSONFormat.encoder(.compact).encode(records)
    }

    static func format(_ value: Double) -> String { DataNumber.text(value) }

    static func csvField(_ text: String) -> String { TextLines.csvField(text) }
}
