/// Row-major dense matrix of Doubles: element (r, c) is `values[r * columns + c]`.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (the batch dimension for inputs and targets).
    public var rows: Int
    /// Number of columns (features).
    public var columns: Int
    /// The elements, row after row; `values.count == rows * columns`.
    public var values: [Double]

    /// A matrix over `values` in row-major order. `values.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(
            values.count == rows * columns,
            "Matrix \(rows)x\(columns) needs \(rows * columns) values, got \(values.count)"
        )
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A `rows` × `columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, values: Array(repeating: value, count: rows * columns))
    }

    /// A matrix from nested rows, which must all have the same length. `[]` is the 0 × 0 matrix.
    public init(_ rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        var values: [Double] = []
        values.reserveCapacity(rows.count * columns)
        for (index, row) in rows.enumerated() {
            precondition(
                row.count == columns,
                "Matrix row \(index) has \(row.count) values, expected \(columns)"
            )
            values.append(contentsOf: row)
        }
        self.init(rows: rows.count, columns: columns, values: values)
    }

    /// The element at row `r`, column `c`.
    public subscript(_ r: Int, _ c: Int) -> Double {
        get {
            precondition(r >= 0 && r < rows && c >= 0 && c < columns, "Matrix index (\(r), \(c)) out of range")
            return values[r * columns + c]
        }
        set {
            precondition(r >= 0 && r < rows && c >= 0 && c < columns, "Matrix index (\(r), \(c)) out of range")
            values[r * columns + c] = newValue
        }
    }

    /// The rows as nested arrays.
    public var nestedRows: [[Double]] {
        (0..<rows).map { r in Array(values[(r * columns)..<((r + 1) * columns)]) }
    }
}
