import JSON
import Schedules

/// Encodes schedule answers as CSV (RFC 4180, CRLF line ends): a header row, then one row per
/// epoch. Columns: `epoch`, `lr` (group 0, the JSON `lrs`), `lr_group_1`… for further parameter
/// groups, then `momentum` (and `momentum_group_1`…) when the schedule moves the momentum.
/// Numbers are written exactly as in the JSON (Python's shortest round-trip repr), so the CSV
/// parses back to the same doubles.
public enum CSVRenderer {
    /// The CSV body of `answer`.
    public static func body(_ answer: ScheduleAnswer) -> [UInt8] {
        let values = answer.values
        var columns: [(name: String, values: [Double])] = []
        for (g, lrs) in values.lrs.enumerated() {
            columns.append((g == 0 ? "lr" : "lr_group_\(g)", lrs))
        }
        for (g, momentums) in (values.momentums ?? []).enumerated() {
            columns.append((g == 0 ? "momentum" : "momentum_group_\(g)", momentums))
        }
        let rows = values.lrs[0].count
        var out = JSONWriter(reservingCapacity: 16 + rows * (8 + 22 * columns.count))
        out.bytes.append(contentsOf: "epoch".utf8)
        for column in columns {
            out.bytes.append(UInt8(ascii: ","))
            out.bytes.append(contentsOf: column.name.utf8)
        }
        out.bytes.append(contentsOf: [13, 10])
        let start = answer.request.start
        for row in 0..<rows {
            out.bytes.append(contentsOf: String(start + row).utf8)
            for column in columns {
                out.bytes.append(UInt8(ascii: ","))
                out.appendBareDouble(column.values[row])
            }
            out.bytes.append(contentsOf: [13, 10])
        }
        return out.bytes
    }
}
