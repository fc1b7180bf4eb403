import Foundation

/// Adafactor (Shazeer & Stern 2018, Algorithm 4 with `β1 = 0`) with an explicit learning rate and *parameter
/// scaling*: the step of a parameter is proportional to its own root-mean-square, so `rms(ΔW) ≈ η · rms(W)`
/// — the update rule behind the exponent LP's Adafactor constraints (`a + c` becomes `a + b + c`, `c ≥ 0`).
///
/// Per parameter `W` with gradient `G` at update `t`, `β̂₂ = 1 − t^decayRate`:
/// - a matrix (rank ≥ 2, viewed as rows × last dimension) keeps factored second moments, row means
///   `R ← β̂₂·R + (1−β̂₂)·mean_j(G² + ε₁)` and column means `C ← β̂₂·C + (1−β̂₂)·mean_i(G² + ε₁)`, and estimates
///   `V̂_ij = R_i · C_j / mean(R)`; a vector keeps `V ← β̂₂·V + (1−β̂₂)·(G² + ε₁)` unfactored;
/// - `U = G / √V̂`, clipped to `Û = U / max(1, rms(U) / d)`;
/// - weight decay (decoupled): `W ← W − η·λ·W`; then `W ← W − η · max(ε₂, rms(W_{t−1})) · Û`.
///
/// At the first update `β̂₂ = 0`, so a rank-one gradient moves every entry by exactly `η · max(ε₂, rms(W))` against
/// the sign of its gradient.
public final class Adafactor<Scalar: TensorScalar>: Optimizer {
    /// The parameter groups; learning rates and weight decays may be changed between steps.
    public var groups: [ParameterGroup<Scalar>]
    /// The regularizer `ε₁` added to the squared gradient.
    public var epsilon1: Double
    /// The smallest parameter scale `ε₂` (a zero-initialized parameter still moves).
    public var epsilon2: Double
    /// The update-clipping threshold `d` on `rms(U)`.
    public var clipThreshold: Double
    /// The exponent of the second-moment decay schedule `β̂₂ = 1 − t^decayRate` (−0.8 in the paper).
    public var decayRate: Double
    private var store = OptimizerStateStore<Scalar>()

    /// Creates Adafactor over `groups` (no parameter may appear in two groups); defaults as the paper.
    public init(groups: [ParameterGroup<Scalar>], epsilon1: Double = 1e-30, epsilon2: Double = 1e-3,
                clipThreshold: Double = 1, decayRate: Double = -0.8) {
        checkUniqueParameterNames(groups, optimizer: "Adafactor")
        self.groups = groups
        self.epsilon1 = epsilon1
        self.epsilon2 = epsilon2
        self.clipThreshold = clipThreshold
        self.decayRate = decayRate
    }

    public func step() {
        for group in groups {
            for (name, parameter) in group.parameters {
                guard let gradient = parameter.gradient else { continue }
                var state = store.entries.removeValue(forKey: name) ?? ParameterState()
                state.step += 1
                update(parameter, gradient: gradient, state: &state, learningRate: group.learningRate,
                       weightDecay: group.weightDecay)
                store.entries[name] = state
            }
        }
    }

    /// One update of one parameter (in `Double`, written back in the parameter's scalar type).
    private func update(_ parameter: Parameter<Scalar>, gradient: Tensor<Scalar>, state: inout ParameterState<Scalar>,
                        learningRate: Double, weightDecay: Double) {
        let shape = parameter.shape
        let count = parameter.value.count
        guard count > 0 else { return }
        let beta2 = 1 - Foundation.pow(Double(state.step), decayRate)
        let g = gradient.scalars.map(Double.init)
        var estimate = [Double](repeating: 0, count: count)
        if shape.count >= 2 {
            let columns = shape.last!, rows = count / columns
            var r = state.buffers["rowMoment"].map { $0.scalars.map(Double.init) } ?? [Double](repeating: 0, count: rows)
            var c = state.buffers["columnMoment"].map { $0.scalars.map(Double.init) } ?? [Double](repeating: 0, count: columns)
            var rowMeans = [Double](repeating: 0, count: rows), columnMeans = [Double](repeating: 0, count: columns)
            for i in 0..<rows {
                for j in 0..<columns {
                    let x = g[i * columns + j] * g[i * columns + j] + epsilon1
                    rowMeans[i] += x / Double(columns)
                    columnMeans[j] += x / Double(rows)
                }
            }
            for i in 0..<rows { r[i] = beta2 * r[i] + (1 - beta2) * rowMeans[i] }
            for j in 0..<columns { c[j] = beta2 * c[j] + (1 - beta2) * columnMeans[j] }
            let meanR = r.reduce(0, +) / Double(rows)
            for i in 0..<rows { for j in 0..<columns { estimate[i * columns + j] = r[i] * c[j] / meanR } }
            state.buffers["rowMoment"] = Tensor(shape: [rows], scalars: r.map { Scalar($0) })
            state.buffers["columnMoment"] = Tensor(shape: [columns], scalars: c.map { Scalar($0) })
        } else {
            var v = state.buffers["secondMoment"].map { $0.scalars.map(Double.init) } ?? [Double](repeating: 0, count: count)
            for k in 0..<count { v[k] = beta2 * v[k] + (1 - beta2) * (g[k] * g[k] + epsilon1) }
            estimate = v
            state.buffers["secondMoment"] = Tensor(shape: shape, scalars: v.map { Scalar($0) })
        }
        var u = (0..<count).map { g[$0] / estimate[$0].squareRoot() }
        let rmsU = Self.rms(u)
        let clip = Swift.max(1, rmsU / clipThreshold)
        for k in 0..<count { u[k] /= clip }
        var w = parameter.value.scalars.map(Double.init)
        let scale = Swift.max(epsilon2, Self.rms(w))
        for k in 0..<count { w[k] -= learningRate * weightDecay * w[k] + learningRate * scale * u[k] }
        parameter.value = Tensor(shape: shape, scalars: w.map { Scalar($0) })
    }

    /// Root-mean-square of `values`.
    static func rms(_ values: [Double]) -> Double {
        (values.reduce(0) { $0 + $1 * $1 } / Double(Swift.max(values.count, 1))).squareRoot()
    }

    public func saveState() -> OptimizerState<Scalar> { store.save(algorithm: "adafactor", groups: groups) }

    public func loadState(_ state: OptimizerState<Scalar>) throws(OptimizerError) {
        // Buffers differ by rank (factored row / column moments or one second moment), so none is required by name.
        try store.load(state, algorithm: "adafactor", bufferNames: [], groups: &groups)
    }

    public func resetState() { store.entries = [:] }
}
