import Foundation

/// One training run of a learning-rate transfer sweep: a parametrization at one width, learning rate and seed.
public struct LRTrial: Codable, Sendable, Equatable {
    /// The parametrization's label (`sp`, `mup`, `maxp`, …).
    public var parametrization: String
    /// The model width.
    public var width: Int
    /// The learning rate (or lr prefactor) of the run.
    public var lr: Double
    /// The seed.
    public var seed: Int
    /// The final loss (mean of the last steps); `nil` or non-finite when the run diverged.
    public var finalLoss: Double?
    /// Whether the run diverged (NaN/Inf or blow-up). A diverged run never counts as an optimum.
    public var diverged: Bool
    /// The loss at every step, when recorded (JSON only).
    public var lossCurve: [Double]?

    /// Creates a trial.
    public init(parametrization: String, width: Int, lr: Double, seed: Int, finalLoss: Double?, diverged: Bool = false,
                lossCurve: [Double]? = nil) {
        self.parametrization = parametrization
        self.width = width
        self.lr = lr
        self.seed = seed
        self.finalLoss = finalLoss
        self.diverged = diverged
        self.lossCurve = lossCurve
    }

    /// Whether the run yields a usable final loss.
    public var isUsable: Bool { !diverged && (finalLoss?.isFinite ?? false) }

    enum CodingKeys: String, CodingKey {
        case parametrization, width, lr, seed, finalLoss = "final_loss", diverged, lossCurve = "loss_curve"
    }
}

/// Why an LR-transfer table could not be read.
public enum LRTransferError: Error, Equatable, CustomStringConvertible {
    /// The CSV's first line is not the expected header.
    case csvHeaderMismatch(found: String, expected: String)
    /// A CSV line has the wrong number of fields.
    case csvFieldCount(line: Int, expected: Int, found: Int)
    /// A CSV field could not be parsed.
    case csvInvalidField(line: Int, column: String, text: String)
    /// Encoding failed.
    case encoding(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .csvHeaderMismatch(found, expected):
            "lr_transfer.csv, line 1: header is `\(found)`, expected exactly `\(expected)`"
        case let .csvFieldCount(line, expected, found):
            "lr_transfer.csv, line \(line): \(found) fields, expected \(expected)"
        case let .csvInvalidField(line, column, text):
            "lr_transfer.csv, line \(line): column `\(column)` holds `\(text)`, which is not valid here"
        case let .encoding(reason):
            "LR-transfer data could not be encoded: \(reason)"
        }
    }
}

/// The trials of an LR-transfer sweep and their `lr_transfer.csv` form.
public enum LRTrialCSV {
    /// The header of `lr_transfer.csv`.
    public static let header = "parametrization,width,lr,seed,final_loss,diverged"

    /// The trials as CSV (one line per trial in the given order; `final_loss` empty when unknown, `nan`/`inf` when
    /// non-finite; `diverged` `true`/`false`). Loss curves are not written (use JSON).
    public static func csvString(_ trials: [LRTrial]) -> String {
        var text = header + "\n"
        for trial in trials {
            text += [TextFormat.csvField(trial.parametrization), String(trial.width), TextFormat.number(trial.lr),
                     String(trial.seed), trial.finalLoss.map(TextFormat.number) ?? "", trial.diverged ? "true" : "false"]
                .joined(separator: ",") + "\n"
        }
        return text
    }

    /// Parses `lr_transfer.csv`; errors name the 1-based line.
    public static func parse(_ csv: String) throws(LRTransferError) -> [LRTrial] {
        let lines = TextFormat.lines(of: csv)
        let first = lines.first.map(String.init) ?? ""
        guard first == header else { throw .csvHeaderMismatch(found: first, expected: header) }
        let columns = header.split(separator: ",").map(String.init)
        var trials: [LRTrial] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let lineNumber = offset + 1
            guard let fields = TextFormat.splitCSVLine(line), fields.count == columns.count else {
                throw .csvFieldCount(line: lineNumber, expected: columns.count,
                                     found: TextFormat.splitCSVLine(line)?.count ?? 0)
            }
            guard let width = Int(fields[1]) else { throw .csvInvalidField(line: lineNumber, column: "width", text: fields[1]) }
            guard let lr = TextFormat.parseNumber(fields[2]) else { throw .csvInvalidField(line: lineNumber, column: "lr", text: fields[2]) }
            guard let seed = Int(fields[3]) else { throw .csvInvalidField(line: lineNumber, column: "seed", text: fields[3]) }
            var loss: Double?
            if !fields[4].isEmpty {
                guard let value = TextFormat.parseNumber(fields[4]) else {
                    throw .csvInvalidField(line: lineNumber, column: "final_loss", text: fields[4])
                }
                loss = value
            }
            let diverged: Bool
            switch fields[5].lowercased() {
            case "true", "1": diverged = true
            case "false", "0": diverged = false
            default: throw .csvInvalidField(line: lineNumber, column: "diverged", text: fields[5])
            }
            trials.append(LRTrial(parametrization: fields[0], width: width, lr: lr, seed: seed, finalLoss: loss,
                                  diverged: diverged))
        }
        return trials
    }
}
