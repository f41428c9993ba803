import JSON
import Schedules

/// Draws schedule answers as SVG charts (`SVGChart`): the title names the scheduler and its
/// family, the subtitle its parameters and base LR; one line per parameter group.
public enum SVGRenderer {
    /// The SVG body of `answer`.
    public static func body(_ answer: ScheduleAnswer) -> [UInt8] {
        let request = answer.request
        let groups = answer.values.lrs
        let series = groups.enumerated().map { g, lrs in
            SVGChart.Series(label: groups.count == 1 ? request.scheduler.name : "group \(g)", values: lrs)
        }
        var chart = SVGChart(
            title: (request.trainer?.trainer.map { "\($0) trainer: " } ?? "")
                + "\(request.scheduler.name) (\(request.scheduler.family.name))",
            subtitle: subtitle(answer),
            xLabel: xLabel(request),
            start: request.start,
            series: series,
            options: answer.presentation.chart
        )
        if case .every(let n) = request.selection { chart.valueStride = n }
        return chart.render()
    }

    /// `step_size=10, gamma=0.9 · lr 0.1`, shortened to fit a line.
    static func subtitle(_ answer: ScheduleAnswer) -> String {
        var parts: [String] = []
        if case .object(let params)? = answer.params {
            let given = params.keys.compactMap { key -> String? in
                guard let value = params[key], value != .null else { return nil }
                var text = value.description
                if text.count > 40 { text = String(text.prefix(37)) + "…" }
                return "\(key)=\(text)"
            }
            if !given.isEmpty { parts.append(given.joined(separator: ", ")) }
        }
        let lrs = answer.request.lrs
        parts.append(
            "lr "
                + (lrs.count == 1
                    ? JSONWriter.pythonRepr(lrs[0])
                    : "[" + lrs.map(JSONWriter.pythonRepr).joined(separator: ", ") + "]")
        )
        let text = parts.joined(separator: " · ")
        return text.count > 140 ? String(text.prefix(139)) + "…" : text
    }

    /// `optimizer update` for a trainer, else the family's unit (`step` or `epoch`).
    static func xLabel(_ request: ScheduleRequest) -> String {
        if request.trainer?.trainer != nil { return "optimizer update" }
        return request.scheduler.family.unit
    }

    /// The SVG body of a batch whose items all succeeded: one line per item (group 0), labelled,
    /// on one chart.
    public static func body(_ batch: BatchAnswer) -> [UInt8] {
        let answers = batch.answers
        let start = answers.map(\.request.start).min() ?? 0
        let series = answers.enumerated().map { i, answer in
            // Each line starts at its own first epoch.
            SVGChart.Series(
                label: batch.seriesLabel(i),
                values: answer.values.lrs[0],
                offset: answer.request.start - start
            )
        }
        // Trainer answers count optimizer updates; their subtitle names the trainer too.
        let trainers = answers.compactMap { $0.request.trainer?.trainer }
        let xLabel =
            trainers.count == answers.count
            ? "optimizer update"
            : Set(answers.map { $0.request.scheduler.family.unit }).count == 1
                ? answers[0].request.scheduler.family.unit : "epoch"
        let chart = SVGChart(
            title: answers.count == 1 ? "1 schedule" : "\(answers.count) schedules compared",
            subtitle: answers.map { answer in
                (answer.request.trainer?.trainer.map { "\($0) trainer: " } ?? "") + answer.request.scheduler.name
            }.joined(separator: " · "),
            xLabel: xLabel,
            start: start,
            series: series,
            options: batch.presentation.chart
        )
        return chart.render()
    }
}
