import CGLPK
import Synchronization

/// A small sparse linear (or mixed-integer) program, minimised with GLPK.
///
/// Everything is collected in Swift arrays first and handed to GLPK in one `glp_load_matrix` call. Callers must only
/// add finite numbers and valid column indices: GLPK aborts the process on invalid arguments, so `solve` re-checks
/// them before any GLPK call.
struct LinearProgram {
    /// Bounds of a column or a row.
    enum Bound: Equatable {
        case free
        case atLeast(Double)
        case atMost(Double)
        case exactly(Double)
    }

    /// The outcome of a solve.
    enum Outcome {
        /// Optimal: the primal value of every column.
        case optimal([Double])
        case infeasible
        case unbounded
        case failed(String)
    }

    private(set) var columnBounds: [Bound] = []
    private(set) var costs: [Double] = []
    private(set) var binaryColumns: [Int] = []
    private(set) var rowBounds: [Bound] = []
    // 1-based GLPK triplets; index 0 is a placeholder GLPK ignores.
    private var rowIndices: [Int32] = [0]
    private var columnIndices: [Int32] = [0]
    private var values: [Double] = [0]

    /// Number of columns so far.
    var columnCount: Int { columnBounds.count }

    init(expectedColumns: Int = 0, expectedRows: Int = 0) {
        columnBounds.reserveCapacity(expectedColumns)
        costs.reserveCapacity(expectedColumns)
        rowBounds.reserveCapacity(expectedRows)
        rowIndices.reserveCapacity(3 * expectedRows + 1)
        columnIndices.reserveCapacity(3 * expectedRows + 1)
        values.reserveCapacity(3 * expectedRows + 1)
    }

    /// Adds a column with a bound and objective coefficient; returns its 0-based index.
    mutating func addColumn(_ bound: Bound, cost: Double = 0) -> Int {
        columnBounds.append(bound)
        costs.append(cost)
        return columnBounds.count - 1
    }

    /// Adds a binary (0/1 integer) column; returns its 0-based index.
    mutating func addBinaryColumn() -> Int {
        let index = addColumn(.free)
        binaryColumns.append(index)
        return index
    }

    /// Adds the row `bound(Σ coefficient·column)`. Columns in one row must be distinct.
    mutating func addRow(_ entries: [(column: Int, coefficient: Double)], _ bound: Bound) {
        rowBounds.append(bound)
        let row = Int32(rowBounds.count)
        for entry in entries {
            rowIndices.append(row)
            columnIndices.append(Int32(entry.column + 1))
            values.append(entry.coefficient)
        }
    }

    /// The same program with every binary column fixed at its rounded value in `values` (a plain LP): re-solving it
    /// polishes a branch-and-bound answer to an exact vertex.
    func fixingBinaries(to values: [Double]) -> LinearProgram {
        var copy = self
        for column in binaryColumns { copy.columnBounds[column] = .exactly(values[column] >= 0.5 ? 1 : 0) }
        copy.binaryColumns = []
        return copy
    }

    /// Adds a row whose entries `fill` appends through `append(column, coefficient)`, without an intermediate array.
    mutating func addRow(_ bound: Bound, _ fill: (_ append: (Int, Double) -> Void) -> Void) {
        rowBounds.append(bound)
        let row = Int32(rowBounds.count)
        fill { column, coefficient in
            rowIndices.append(row)
            columnIndices.append(Int32(column + 1))
            values.append(coefficient)
        }
    }

    /// Checks everything GLPK would abort on; returns a description of the first problem, or `nil`.
    private func invalidArgument() -> String? {
        if columnBounds.isEmpty { return "the program has no variables" }
        func finite(_ bound: Bound) -> Bool {
            switch bound {
            case .free: return true
            case .atLeast(let v), .atMost(let v), .exactly(let v): return v.isFinite
            }
        }
        if let bad = columnBounds.firstIndex(where: { !finite($0) }) { return "column \(bad) has a non-finite bound" }
        if let bad = rowBounds.firstIndex(where: { !finite($0) }) { return "row \(bad) has a non-finite bound" }
        if let bad = costs.firstIndex(where: { !$0.isFinite }) { return "column \(bad) has a non-finite cost" }
        if values.contains(where: { !$0.isFinite }) { return "a constraint coefficient is not finite" }
        let columns = Int32(columnBounds.count)
        if columnIndices.dropFirst().contains(where: { $0 < 1 || $0 > columns }) { return "a column index is out of range" }
        // Duplicate columns inside one row also abort GLPK; entries of one row are contiguous.
        var lastRowOfColumn = [Int32](repeating: 0, count: columnBounds.count + 1)
        for entry in 1..<columnIndices.count {
            let column = Int(columnIndices[entry])
            if lastRowOfColumn[column] == rowIndices[entry] { return "row \(rowIndices[entry]) lists a column twice" }
            lastRowOfColumn[column] = rowIndices[entry]
        }
        return nil
    }

    /// Minimises the objective. With binary columns, solves the MILP by branch and bound (`glp_intopt`);
    /// otherwise runs the simplex method without presolve.
    func solve() -> Outcome {
        if let problem = invalidArgument() { return .failed("invalid program: \(problem)") }
        return glpkLock.withLock { _ in solveLocked() }
    }

    private func solveLocked() -> Outcome {
        glp_term_out(GLP_OFF)
        guard let lp = glp_create_prob() else { return .failed("glp_create_prob failed") }
        defer { glp_delete_prob(lp) }
        glp_set_obj_dir(lp, GLP_MIN)
        let columns = Int32(columnBounds.count)
        glp_add_cols(lp, columns)
        for (index, bound) in columnBounds.enumerated() {
            let j = Int32(index + 1)
            Self.apply(bound) { type, lower, upper in glp_set_col_bnds(lp, j, type, lower, upper) }
            if costs[index] != 0 { glp_set_obj_coef(lp, j, costs[index]) }
        }
        for index in binaryColumns { glp_set_col_kind(lp, Int32(index + 1), GLP_BV) }
        if !rowBounds.isEmpty {
            glp_add_rows(lp, Int32(rowBounds.count))
            for (index, bound) in rowBounds.enumerated() {
                let i = Int32(index + 1)
                Self.apply(bound) { type, lower, upper in glp_set_row_bnds(lp, i, type, lower, upper) }
            }
            let count = Int32(values.count - 1)
            rowIndices.withUnsafeBufferPointer { ia in
                columnIndices.withUnsafeBufferPointer { ja in
                    values.withUnsafeBufferPointer { ar in
                        glp_load_matrix(lp, count, ia.baseAddress, ja.baseAddress, ar.baseAddress)
                    }
                }
            }
        }

        if binaryColumns.isEmpty {
            var parameters = glp_smcp()
            glp_init_smcp(&parameters)
            parameters.msg_lev = GLP_MSG_OFF
            parameters.presolve = GLP_OFF
            let code = glp_simplex(lp, &parameters)
            guard code == 0 else { return .failed("glp_simplex returned code \(code)") }
            switch glp_get_status(lp) {
            case GLP_OPT:
                return .optimal((1...columns).map { glp_get_col_prim(lp, $0) })
            case GLP_NOFEAS: return .infeasible
            case GLP_UNBND: return .unbounded
            case let status: return .failed("simplex status \(status)")
            }
        } else {
            var parameters = glp_iocp()
            glp_init_iocp(&parameters)
            parameters.msg_lev = GLP_MSG_OFF
            parameters.presolve = GLP_ON
            let code = glp_intopt(lp, &parameters)
            if code == GLP_ENOPFS { return .infeasible }
            if code == GLP_ENODFS { return .unbounded }
            guard code == 0 else { return .failed("glp_intopt returned code \(code)") }
            switch glp_mip_status(lp) {
            case GLP_OPT:
                return .optimal((1...columns).map { glp_mip_col_val(lp, $0) })
            case GLP_NOFEAS: return .infeasible
            case let status: return .failed("branch-and-bound status \(status)")
            }
        }
    }

    private static func apply(_ bound: Bound, _ set: (Int32, Double, Double) -> Void) {
        switch bound {
        case .free: set(GLP_FR, 0, 0)
        case .atLeast(let lower): set(GLP_LO, lower, 0)
        case .atMost(let upper): set(GLP_UP, 0, upper)
        case .exactly(let value): set(GLP_FX, value, value)
        }
    }
}

/// Serialises GLPK calls: GLPK keeps per-environment state that is not safe to share across threads.
private let glpkLock = Mutex<Void>(())
