/// An ordered list of modules of one type, named `0`, `1`, … (so a model's `blocks` list gives paths
/// `blocks.0`, `blocks.1`, …).
public final class ModuleList<Element: Module>: Module, RandomAccessCollection {
    public typealias Scalar = Element.Scalar
    /// The list's dotted path in its model.
    public var path = ""
    /// The modules in order.
    public let modules: [Element]

    /// Creates a list from `modules`.
    public init(_ modules: [Element]) { self.modules = modules }

    public var submodules: [(name: String, module: any Module<Scalar>)] {
        modules.enumerated().map { (name: String($0.offset), module: $0.element) }
    }

    public var startIndex: Int { modules.startIndex }
    public var endIndex: Int { modules.endIndex }
    public subscript(position: Int) -> Element { modules[position] }
}
