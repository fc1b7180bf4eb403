import MaxP

/// Teacher–student classification on Gaussian inputs, generated from a seed (no download): inputs
/// `x ~ N(0, I_d)`, labels `argmax(W₂ · relu(W₁ x))` of a fixed random teacher MLP `d → teacherWidth → classes`.
public struct TeacherStudentTask: Sendable, Equatable {
    /// Input dimension d.
    public let inputDimension: Int
    /// Number of classes.
    public let classes: Int
    /// Hidden width of the teacher.
    public let teacherWidth: Int
    /// Seed of the teacher's weights.
    public let seed: UInt64
    private let w1: Tensor<Float>
    private let w2: Tensor<Float>

    /// Creates the task (draws the teacher from `seed`).
    public init(inputDimension: Int, classes: Int, teacherWidth: Int = 64, seed: UInt64 = 0) {
        precondition(inputDimension > 0 && classes > 1 && teacherWidth > 0, "TeacherStudentTask: bad sizes")
        self.inputDimension = inputDimension
        self.classes = classes
        self.teacherWidth = teacherWidth
        self.seed = seed
        var generator = SeededGenerator.derived(from: seed, 0x7EAC)
        w1 = .randomNormal(shape: [teacherWidth, inputDimension],
                           standardDeviation: Float(1 / Double(inputDimension).squareRoot()), using: &generator)
        w2 = .randomNormal(shape: [classes, teacherWidth],
                           standardDeviation: Float(1 / Double(teacherWidth).squareRoot()), using: &generator)
    }

    /// A batch of `size` examples drawn from the generator seeded with `(seed, index)`.
    public func batch(size: Int, index: Int) -> TaskBatch {
        var generator = SeededGenerator.derived(from: seed, 0xBA7C, index)
        let x = Tensor<Float>.randomNormal(shape: [size, inputDimension], using: &generator)
        return .features(x, labels: labels(of: x))
    }

    /// The teacher's labels for feature rows `x` `[rows, inputDimension]`.
    public func labels(of x: Tensor<Float>) -> [Int] {
        var hidden = x.matrixProduct(w1, transposeOther: true)
        for i in hidden.scalars.indices where hidden.scalars[i] < 0 { hidden.scalars[i] = 0 }
        let logits = hidden.matrixProduct(w2, transposeOther: true)
        return (0..<logits.rowCount).map { row in
            let slice = logits.scalars[(row * classes)..<((row + 1) * classes)]
            return slice.indices.max { slice[$0] < slice[$1] }! - row * classes
        }
    }
}
