/// Whether a layer or model draws its random weights when it is created.
///
/// Drawing the weights of a wide model is a large share of building it (a 3072 × 2048 layer is 6.3 M normal draws).
/// When a ``Parametrization`` will re-draw every weight anyway (its initializer calls
/// ``Parametrization/reinitialize()``), drawing them at construction is wasted work: build with ``deferred``.
public enum WeightInitialization: Sendable, Equatable {
    /// Draw the weights now (the default): `N(0, 1/fan_in)` for linear layers, `N(0, σ²)` for embeddings.
    case drawn
    /// Leave every randomly initialized weight at **zero** and draw nothing from the generator. A
    /// ``Parametrization`` (or `resetParameters` / `initializeWeights`) must re-initialize the weights before use:
    /// a zero weight matrix gives zero outputs and zero gradients for the layers before it.
    case deferred
}
