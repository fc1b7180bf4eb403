import MaxP

/// A model maxP does not ship: an input projection, one pre-LayerNorm residual SwiGLU block and a readout.
///
/// `h = proj(x)`, `h = h + down(silu(gate(norm(h))) * up(norm(h)))`, `logits = readout(norm_f(h))`. Layers are
/// marked with their µP roles; the coord-check runner parametrizes them (multipliers, init, learning rates).
final class SwiGLUNet: Module {
    typealias Scalar = Float
    var path = ""
    let proj, gate, up, down, readout: Linear<Float>
    let norm, normF: LayerNorm<Float>

    /// `withReadoutMultiplier: false` plants the bug `--bug readout` diagnoses: a stray `√width` constant cancels the
    /// readout's `width^-½` multiplier, so the readout behaves as if it had none (effective `a = 0`, declared ½).
    init(inputs: Int, width: Int, classes: Int, withReadoutMultiplier: Bool = true) {
        var generator = SeededGenerator(seed: 0)  // weights are re-drawn by the parametrization
        proj = Linear(inputFeatures: inputs, outputFeatures: width, bias: false, using: &generator, initialization: .deferred)
        gate = Linear(inputFeatures: width, outputFeatures: 2 * width, bias: false, using: &generator, initialization: .deferred)
        up = Linear(inputFeatures: width, outputFeatures: 2 * width, bias: false, using: &generator, initialization: .deferred)
        down = Linear(inputFeatures: 2 * width, outputFeatures: width, bias: false, using: &generator, initialization: .deferred)
        readout = Linear(inputFeatures: width, outputFeatures: classes, bias: false, using: &generator, initialization: .deferred)
        norm = LayerNorm(width: width)
        normF = LayerNorm(width: width)
        assignPaths()
        proj.role = LayerRole.embedding.rawValue
        for layer in [gate, up, down] { layer.role = LayerRole.hidden.rawValue }
        readout.role = LayerRole.readout.rawValue
        // The bug: declared as µP's readout (a = ½), but the multiplier is cancelled.
        if !withReadoutMultiplier { readout.marking?.outputScale = Double(width).squareRoot() }
    }

    var submodules: [(name: String, module: any Module<Float>)] {
        [("proj", proj), ("norm", norm), ("gate", gate), ("up", up), ("down", down), ("norm_f", normF), ("readout", readout)]
    }

    func callAsFunction(_ x: Variable<Float>) -> Variable<Float> {
        let h = proj(x)
        let n = norm(h)
        let mixed = h + down(gate(n).silu() * up(n))
        return readout(normF(mixed))
    }
}
