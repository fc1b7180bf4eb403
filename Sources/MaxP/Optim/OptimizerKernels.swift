import CMaxPKernels
import Foundation

/// Update loops of the optimizers over raw buffers. Each public-facing entry point dispatches on the scalar type so
/// that the loop runs specialized (and vectorized) for `Float` and `Double` even when called from generic code.
enum OptimizerKernels {
    /// Hyperparameters of one Adam/AdamW update of one parameter.
    struct AdamStep {
        var learningRate: Double
        var beta1: Double
        var beta2: Double
        var epsilon: Double
        var weightDecay: Double
        var decoupled: Bool
        var step: Int
    }

    /// One Adam (coupled L2, `decoupled == false`) or AdamW (decoupled) update, as PyTorch's single-tensor Adam:
    /// `g += wd·p` (coupled) or `p *= 1 − lr·wd` (decoupled); `m = β1·m + (1−β1)·g`; `v = β2·v + (1−β2)·g²`;
    /// `p −= (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)`.
    ///
    /// At the first update (`step == 1`) the moments are zero by construction (a saved state after `k` updates has
    /// `step == k`), so they are written without being read — two fewer memory streams in a memory-bound loop, with
    /// bit-identical results (`β·0 + x` is `x + 0`, which the first-step loop computes).
    static func adam<S: TensorScalar>(
        parameter: inout Tensor<S>, gradient: Tensor<S>, firstMoment: inout Tensor<S>,
        secondMoment: inout Tensor<S>, _ h: AdamStep
    ) {
        let n = parameter.count
        guard n > 0 else { return }
        parameter.scalars.withUnsafeMutableBufferPointer { p in
            gradient.scalars.withUnsafeBufferPointer { g in
                firstMoment.scalars.withUnsafeMutableBufferPointer { m in
                    secondMoment.scalars.withUnsafeMutableBufferPointer { v in
                        adamSlice(p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, n, h)
                    }
                }
            }
        }
    }

    /// The same update with the gradient computed a block of rows at a time
    /// (``DeferredWeightGradient/forEachRowBlock(_:)``): each block of the parameter and its moments is updated
    /// from the block's gradient while that is still in cache. The update is elementwise, so the result is bit for
    /// bit that of ``adam(parameter:gradient:firstMoment:secondMoment:_:)`` on the materialized gradient.
    static func adam<S: TensorScalar>(
        parameter: inout Tensor<S>, rowBlocksOf gradient: DeferredWeightGradient<S>, firstMoment: inout Tensor<S>,
        secondMoment: inout Tensor<S>, _ h: AdamStep
    ) {
        precondition(gradient.shape == parameter.shape, "Adam: gradient \(gradient.shape) for parameter \(parameter.shape)")
        let columns = parameter.shape[1]
        guard parameter.count > 0 else { return }
        parameter.scalars.withUnsafeMutableBufferPointer { p in
            firstMoment.scalars.withUnsafeMutableBufferPointer { m in
                secondMoment.scalars.withUnsafeMutableBufferPointer { v in
                    gradient.forEachRowBlock { rows, g in
                        let offset = rows.lowerBound * columns
                        adamSlice(p.baseAddress! + offset, g, m.baseAddress! + offset, v.baseAddress! + offset,
                                  rows.count * columns, h)
                    }
                }
            }
        }
    }

    /// One update of `n` consecutive elements, specialized by scalar type.
    private static func adamSlice<S: TensorScalar>(
        _ p: UnsafeMutablePointer<S>, _ g: UnsafePointer<S>, _ m: UnsafeMutablePointer<S>,
        _ v: UnsafeMutablePointer<S>, _ n: Int, _ h: AdamStep
    ) {
        if S.self == Float.self {
            floatAdam(rebind(p, Float.self), rebind(g, Float.self), rebind(m, Float.self), rebind(v, Float.self), n, h)
        } else if S.self == Double.self {
            adamLoop(rebind(p, Double.self), rebind(g, Double.self), rebind(m, Double.self), rebind(v, Double.self), n, h)
        } else {
            fatalError("Adam: unsupported scalar type \(S.self)")
        }
    }

    /// The `Float` update through the C kernel `maxp_adam_f32`: ``adamLoop(_:_:_:_:_:_:)``'s operations on the
    /// widest vectors the CPU has (bit for bit the same results).
    private static func floatAdam(
        _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
        _ v: UnsafeMutablePointer<Float>, _ n: Int, _ h: AdamStep
    ) {
        let t = Double(h.step)
        let biasCorrection1 = 1 - pow(h.beta1, t)
        let biasCorrection2 = 1 - pow(h.beta2, t)
        maxp_adam_f32(
            p, g, m, v, n, h.decoupled ? Float(1 - h.learningRate * h.weightDecay) : 1,
            h.decoupled ? 0 : Float(h.weightDecay), Float(h.beta1), Float(1 - h.beta1), Float(h.beta2),
            Float(1 - h.beta2), Float(h.learningRate / biasCorrection1), Float(1 / biasCorrection2.squareRoot()),
            Float(h.epsilon), h.step == 1 ? 1 : 0)
    }

    @inline(__always)
    private static func adamLoop<T: BinaryFloatingPoint & SIMDScalar>(
        _ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>,
        _ v: UnsafeMutablePointer<T>, _ n: Int, _ h: AdamStep
    ) {
        let t = Double(h.step)
        let biasCorrection1 = 1 - pow(h.beta1, t)
        let biasCorrection2 = 1 - pow(h.beta2, t)
        let stepSize = T(h.learningRate / biasCorrection1)
        let inverseRootCorrection2 = T(1 / biasCorrection2.squareRoot())
        let b1 = T(h.beta1), oneMinusB1 = T(1 - h.beta1)
        let b2 = T(h.beta2), oneMinusB2 = T(1 - h.beta2)
        let eps = T(h.epsilon)
        // Coupled: the gradient gets wd·p; decoupled: p is first shrunk by (1 − lr·wd).
        let coupled = h.decoupled ? 0 : T(h.weightDecay)
        let decay = h.decoupled ? T(1 - h.learningRate * h.weightDecay) : 1
        typealias Vector = SIMD8<T>
        let width = Vector.scalarCount
        var i = 0
        if h.step == 1 {
            // m = v = 0 before this update: m = (1−β1)·g + 0, v = (1−β2)·g² + 0 (the `+ 0` keeps −0 → +0 as β·0 + x).
            let zero = Vector(repeating: 0)
            while i + width <= n {
                let pr = UnsafeMutableRawPointer(p + i)
                let pi = pr.loadUnaligned(as: Vector.self) * decay
                let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Vector.self) + coupled * pi
                let mi = oneMinusB1 * gi + zero
                let vi = oneMinusB2 * gi * gi + zero
                UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Vector.self)
                UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Vector.self)
                pr.storeBytes(of: pi - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps), as: Vector.self)
                i += width
            }
            while i < n {
                let pi = p[i] * decay
                let gi = g[i] + coupled * pi
                let mi = oneMinusB1 * gi + 0
                let vi = oneMinusB2 * gi * gi + 0
                m[i] = mi
                v[i] = vi
                p[i] = pi - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps)
                i += 1
            }
            return
        }
        while i + width <= n {
            let pr = UnsafeMutableRawPointer(p + i), mr = UnsafeMutableRawPointer(m + i)
            let vr = UnsafeMutableRawPointer(v + i)
            let pi = pr.loadUnaligned(as: Vector.self) * decay
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Vector.self) + coupled * pi
            let mi = b1 * mr.loadUnaligned(as: Vector.self) + oneMinusB1 * gi
            let vi = b2 * vr.loadUnaligned(as: Vector.self) + oneMinusB2 * gi * gi
            mr.storeBytes(of: mi, as: Vector.self)
            vr.storeBytes(of: vi, as: Vector.self)
            pr.storeBytes(of: pi - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps), as: Vector.self)
            i += width
        }
        while i < n {
            let pi = p[i] * decay
            let gi = g[i] + coupled * pi
            let mi = b1 * m[i] + oneMinusB1 * gi
            let vi = b2 * v[i] + oneMinusB2 * gi * gi
            m[i] = mi
            v[i] = vi
            p[i] = pi - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps)
            i += 1
        }
    }

    /// Hyperparameters of one SGD update of one parameter.
    struct SGDStep {
        var learningRate: Double
        var momentum: Double
        var dampening: Double
        var weightDecay: Double
        var nesterov: Bool
        /// Whether the momentum buffer is fresh (first update): it is then set to the gradient, as in PyTorch.
        var initializeMomentum: Bool
    }

    /// One SGD update as PyTorch: `g += wd·p`; with momentum `μ`: `b = g` on the first step, else
    /// `b = μ·b + (1−dampening)·g`, and the direction is `g + μ·b` (Nesterov) or `b`; `p −= lr·direction`.
    /// `momentumBuffer` is ignored (may be empty) when `momentum == 0`.
    static func sgd<S: TensorScalar>(
        parameter: inout Tensor<S>, gradient: Tensor<S>, momentumBuffer: inout Tensor<S>, _ h: SGDStep
    ) {
        let n = parameter.count
        guard n > 0 else { return }
        if h.momentum == 0 {
            var unused = [S](repeating: 0, count: 1)
            parameter.scalars.withUnsafeMutableBufferPointer { p in
                gradient.scalars.withUnsafeBufferPointer { g in
                    unused.withUnsafeMutableBufferPointer { b in
                        dispatchSGD(p.baseAddress!, g.baseAddress!, b.baseAddress!, n, h)
                    }
                }
            }
            return
        }
        parameter.scalars.withUnsafeMutableBufferPointer { p in
            gradient.scalars.withUnsafeBufferPointer { g in
                momentumBuffer.scalars.withUnsafeMutableBufferPointer { b in
                    dispatchSGD(p.baseAddress!, g.baseAddress!, b.baseAddress!, n, h)
                }
            }
        }
    }

    private static func dispatchSGD<S: TensorScalar>(
        _ p: UnsafeMutablePointer<S>, _ g: UnsafePointer<S>, _ b: UnsafeMutablePointer<S>, _ n: Int, _ h: SGDStep
    ) {
        if S.self == Float.self {
            sgdLoop(rebind(p, Float.self), rebind(g, Float.self), rebind(b, Float.self), n, h)
        } else if S.self == Double.self {
            sgdLoop(rebind(p, Double.self), rebind(g, Double.self), rebind(b, Double.self), n, h)
        } else {
            sgdLoop(p, g, b, n, h)
        }
    }

    @inline(__always)
    private static func sgdLoop<T: BinaryFloatingPoint>(
        _ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ b: UnsafeMutablePointer<T>, _ n: Int, _ h: SGDStep
    ) {
        let lr = T(h.learningRate), wd = T(h.weightDecay)
        let mu = T(h.momentum), keep = T(1 - h.dampening)
        if h.momentum == 0 {
            for i in 0..<n { p[i] -= lr * (g[i] + wd * p[i]) }
            return
        }
        for i in 0..<n {
            let gi = g[i] + wd * p[i]
            let bi = h.initializeMomentum ? gi : mu * b[i] + keep * gi
            b[i] = bi
            p[i] -= lr * (h.nesterov ? gi + mu * bi : bi)
        }
    }

    @inline(__always)
    private static func rebind<S, T>(_ pointer: UnsafeMutablePointer<S>, _: T.Type) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: T.self)
    }

    @inline(__always)
    private static func rebind<S, T>(_ pointer: UnsafePointer<S>, _: T.Type) -> UnsafePointer<T> {
        UnsafeRawPointer(pointer).assumingMemoryBound(to: T.self)
    }
}
