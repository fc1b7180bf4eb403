/// A tensor-valued node on a ``Tape``: the handle ops take and return.
///
/// Variables are cheap handles (a tape reference and an index); the value lives on the tape.
public struct Variable<Scalar: TensorScalar> {
    /// The tape that recorded this variable.
    public let tape: Tape<Scalar>
    /// Its node index on the tape.
    public let id: Int

    /// Creates a handle; ops obtain variables from ``Tape/record(_:inputs:value:pullback:)`` instead.
    public init(tape: Tape<Scalar>, id: Int) {
        self.tape = tape
        self.id = id
    }

    /// The computed value.
    public var value: Tensor<Scalar> { tape.nodes[id].value }
    /// The shape of the value.
    public var shape: [Int] { tape.nodes[id].value.shape }
    /// The call-site name of the op that produced it.
    public var site: String { tape.nodes[id].site }

    /// Back-propagates from this (one-element) variable; see ``Tape/backward(from:seed:)``.
    public func backward() { tape.backward(from: self) }
    /// The gradient that reached this variable in the last backward pass.
    public var gradient: Tensor<Scalar>? { tape.gradient(of: self) }
}
