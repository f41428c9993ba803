import JSON
import Schedules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Encodes schedule answers as CSV (RFC 4180, CRLF line ends): a header row, then one row per
/// step (for a trainer request, one per optimizer update, counted from 1 in `update`). Columns: `epoch`
/// (`step` for families that count optimizer steps: transformers, optax, Keras), `lr` (group 0, the JSON `lrs`), `lr_group_1`… for further parameter
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
        // A trainer answer counts optimizer updates from 1.
        let isTrainer = answer.request.trainer?.trainer != nil
        out.bytes.append(contentsOf: (isTrainer ? "update" : answer.request.scheduler.family.unit).utf8)
        for column in columns {
            out.bytes.append(UInt8(ascii: ","))
            out.bytes.append(contentsOf: column.name.utf8)
        }
        out.bytes.append(contentsOf: [13, 10])
        let offset = isTrainer ? 1 : 0
        for row in 0..<rows {
            out.bytes.append(contentsOf: String(answer.request.step(ofValue: row) + offset).utf8)
            for column in columns {
                out.bytes.append(UInt8(ascii: ","))
                out.appendBareDouble(column.values[row])
            }
            out.bytes.append(contentsOf: [13, 10])
        }
        return out.bytes
    }

    /// The CSV body of a batch whose items all succeeded: `epoch`, then one column per item
    /// (group 0's learning rate) named by its label, over the union of their epochs; a cell is
    /// empty where an item does not cover the epoch.
    public static func body(_ batch: BatchAnswer) -> [UInt8] {
        let answers = batch.answers
        let from = answers.map(\.request.start).min() ?? 0
        let to = answers.map { $0.request.start + $0.request.epochs }.max() ?? 0
        var out = JSONWriter(reservingCapacity: 16 + (to - from) * (8 + 22 * answers.count))
        let units = Set(answers.map { $0.request.scheduler.family.unit })
        out.bytes.append(contentsOf: (units.count == 1 ? units.first! : "epoch").utf8)
        for i in answers.indices {
            out.bytes.append(UInt8(ascii: ","))
            out.bytes.append(contentsOf: quoted(batch.seriesLabel(i)).utf8)
        }
        out.bytes.append(contentsOf: [13, 10])
        for epoch in from..<to {
            out.bytes.append(contentsOf: String(epoch).utf8)
            for answer in answers {
                out.bytes.append(UInt8(ascii: ","))
                let k = epoch - answer.request.start
                if k >= 0 && k < answer.request.epochs { out.appendBareDouble(answer.values.lrs[0][k]) }
            }
            out.bytes.append(contentsOf: [13, 10])
        }
        return out.bytes
    }

    /// A header field, quoted as RFC 4180 asks when it holds a comma, quote or line break.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
