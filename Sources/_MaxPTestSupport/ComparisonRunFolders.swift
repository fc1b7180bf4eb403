import Foundation

/// Builds `train` run folders by hand (the contract files `config.json` and `metrics.csv`, optionally
/// `history.csv`) and grid folders (`grid.csv` plus `runs/<name>/`), so the tests of `compare` do not need a
/// trainer. For tests only.
public enum ComparisonRunFolders {
    /// A fresh, not yet created folder under the temporary directory.
    public static func temporaryFolder(_ prefix: String = "maxp-compare") -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    }

    /// The nested `config.json` of a run, in the `train` layout.
    public static func config(width: Int, depth: Int = 2, lr: Double, seed: Int, name: String = "mlp",
                              alignment: String = "full", dynamic: Bool = false, steps: Int) -> [String: Any] {
        [
            "model": ["name": name, "width": width, "depth": depth, "input_dim": 8, "output_dim": 4, "batch": 16],
            "optimizer": ["type": "adam", "lr_prefactor": lr],
            "maxp": ["parametrization": "mup", "alignment": alignment, "dynamic": dynamic, "warmup_steps": 0,
                     "solve_interval": 1, "sample_size": 32],
            "steps": steps, "seed": seed,
        ]
    }

    /// Writes `config.json` and `metrics.csv` (`step,train_loss`, steps 1…n) into `folder`; a NaN loss is written
    /// as `nan`. With `history`, also `history.csv` with one layer whose learning rate is `lr · (1 + step/10)`.
    public static func writeRun(_ folder: URL, config: [String: Any], losses: [Double], history: Bool = false) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        try data.write(to: folder.appendingPathComponent("config.json"))
        var lines = ["step,train_loss"]
        for (index, loss) in losses.enumerated() { lines.append("\(index + 1),\(loss.isNaN ? "nan" : "\(loss)")") }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        if history {
            let lr = ((config["optimizer"] as? [String: Any])?["lr_prefactor"] as? Double) ?? 0.01
            var rows = ["step,layer,alpha,omega,u,c,lr,loss"]
            for (index, loss) in losses.enumerated() {
                let step = index + 1
                rows.append("\(step),fc_1,1,0.5,1,0.5,\(lr * (1 + Double(step) / 10)),\(loss)")
                rows.append("\(step),readout,1,0.5,1,1,\(lr),\(loss)")
            }
            try (rows.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8)
        }
    }

    /// Writes a grid folder: `grid.csv` (`run,model.width,optimizer.lr_prefactor,seed,status,steps,final_train_loss`)
    /// and `runs/<name>/` for each run (name, config, losses, status `done` or `diverged`).
    public static func writeGrid(_ folder: URL, runs: [(name: String, config: [String: Any], losses: [Double], status: String)],
                                 history: Bool = false) throws {
        var lines = ["run,model.width,optimizer.lr_prefactor,seed,status,steps,final_train_loss"]
        for run in runs {
            try writeRun(folder.appendingPathComponent("runs").appendingPathComponent(run.name), config: run.config,
                         losses: run.losses, history: history)
            let model = run.config["model"] as? [String: Any] ?? [:]
            let optimizer = run.config["optimizer"] as? [String: Any] ?? [:]
            lines.append("\(run.name),\(model["width"] ?? ""),\(optimizer["lr_prefactor"] ?? ""),\(run.config["seed"] ?? ""),"
                + "\(run.status),\(run.losses.count),\(run.losses.last.map { "\($0)" } ?? "")")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("grid.csv"), atomically: true, encoding: .utf8)
    }
}
