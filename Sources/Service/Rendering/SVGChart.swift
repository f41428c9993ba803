#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A self-contained SVG line chart of one or more series over integer steps: "nice" 1-2-5
/// ticks, labelled axes, a title, a legend for several series, light and dark colours (a
/// `prefers-color-scheme` style on an opaque background), no script and no external fonts.
///
/// Values hold from one step to the next, so a series is drawn as a step line and a drop (StepLR,
/// a milestone, a warm restart) is a vertical segment. A series longer than the plot is wide is
/// reduced to one pixel column at a time, keeping each column's first, smallest, largest and last
/// value in step order, so a million-step CyclicLR still draws every tooth and the file stays
/// small (at most four points per column).
public struct SVGChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        /// Legend text.
        public var label: String
        /// The value at steps `start + offset`, `start + offset + 1`, ...
        public var values: [Double]
        /// Where the series begins, in steps after the chart's `start`.
        public var offset: Int
        /// A series.
        public init(label: String, values: [Double], offset: Int = 0) {
            self.label = label
            self.values = values
            self.offset = offset
        }
    }

    /// The title line.
    public var title: String
    /// A smaller line under the title (parameters).
    public var subtitle: String
    /// The x axis label (`epoch` or `step`).
    public var xLabel: String
    /// The y axis label.
    public var yLabel = "learning rate"
    /// The first step.
    public var start: Int
    /// The series, drawn in order.
    public var series: [Series]
    /// Steps between consecutive values (an `every` answer samples every n-th step).
    public var valueStride = 1
    /// Size and y scale.
    public var options: ChartOptions

    /// A chart.
    public init(title: String, subtitle: String, xLabel: String, start: Int, series: [Series], options: ChartOptions) {
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.start = start
        self.series = series
        self.options = options
    }

    /// Line colours, readable on both the light and the dark background.
    static let palette = ["#2f6fdf", "#e8590c", "#2b9348", "#c2255c", "#7048e8", "#0c8599", "#a07a00", "#868e96"]

    /// The SVG document.
    public func render() -> [UInt8] {
        let width = Double(options.width)
        let height = Double(options.height)
        let legendRows = series.count > 1 ? min(series.count, 8) : 0
        let left = 76.0
        let right = 36.0
        let top = 56.0
        let bottom = 52.0 + Double(legendRows) * 18
        let plot = (x: left, y: top, w: max(width - left - right, 40), h: max(height - top - bottom, 40))

        let steps = series.map { $0.offset + $0.values.count }.max() ?? 0
        let xLow = Double(start)
        let xHigh = Double(start + max(steps, 1) * valueStride)
        let log = options.scale == .log
        let (yLow, yHigh) = yRange(log: log)
        func px(_ x: Double) -> Double { plot.x + (x - xLow) / (xHigh - xLow) * plot.w }
        func py(_ v: Double) -> Double {
            let t: Double
            if log {
                let clamped = Swift.max(v, yLow)
                t =
                    (Glibc.log10(clamped) - Glibc.log10(yLow))
                    / (Glibc.log10(yHigh) - Glibc.log10(yLow))
            } else {
                t = (v - yLow) / (yHigh - yLow)
            }
            return plot.y + plot.h - Swift.min(Swift.max(t, 0), 1) * plot.h
        }

        var svg = ""
        svg.reserveCapacity(4096 + series.count * Int(plot.w) * 4 * 16)
        svg += #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(options.width)" height="\#(options.height)" "#
        // The x axis's mapping, for readers that turn a pointer position into a step (the playground).
        svg += #"data-x-low="\#(fmt(xLow))" data-x-high="\#(fmt(xHigh))" "#
        svg += #"data-plot-x="\#(fmt(plot.x))" data-plot-w="\#(fmt(plot.w))" "#
        svg +=
            #"viewBox="0 0 \#(options.width) \#(options.height)" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">"#
        svg += "\n<title>\(escape(title))</title>\n"
        svg += """
            <style>
            .bg{fill:#ffffff}.fg{fill:#1f2328}.muted{fill:#59636e}.grid{stroke:#d1d9e0;stroke-width:1}
            .axis{stroke:#59636e;stroke-width:1}.line{fill:none;stroke-width:1.5;stroke-linejoin:round}
            @media (prefers-color-scheme: dark){.bg{fill:#0d1117}.fg{fill:#e6edf3}.muted{fill:#9198a1}.grid{stroke:#30363d}.axis{stroke:#9198a1}}
            </style>

            """
        svg += #"<rect class="bg" width="100%" height="100%"/>"# + "\n"
        svg +=
            #"<text class="fg" x="\#(fmt(left))" y="22" font-size="15" font-weight="600">\#(escape(title))</text>"#
            + "\n"
        if !subtitle.isEmpty {
            svg += #"<text class="muted" x="\#(fmt(left))" y="40">\#(escape(subtitle))</text>"# + "\n"
        }

        // Grid and tick labels.
        let yTicks = log ? logTicks(yLow, yHigh) : niceTicks(yLow, yHigh, count: Swift.max(2, Int(plot.h / 50)))
        for tick in yTicks {
            let y = fmt(py(tick.value))
            svg += #"<line class="grid" x1="\#(fmt(plot.x))" x2="\#(fmt(plot.x + plot.w))" y1="\#(y)" y2="\#(y)"/>"#
            svg +=
                #"<text class="muted" x="\#(fmt(plot.x - 6))" y="\#(y)" dy="4" text-anchor="end">\#(tick.label)</text>"#
                + "\n"
        }
        for tick in niceTicks(xLow, xHigh, count: Swift.max(2, Int(plot.w / 90)), integral: true) {
            let x = fmt(px(tick.value))
            svg += #"<line class="grid" x1="\#(x)" x2="\#(x)" y1="\#(fmt(plot.y))" y2="\#(fmt(plot.y + plot.h))"/>"#
            svg +=
                #"<text class="muted" x="\#(x)" y="\#(fmt(plot.y + plot.h + 16))" text-anchor="middle">\#(tick.label)</text>"#
                + "\n"
        }
        svg +=
            #"<path class="axis" fill="none" d="M\#(fmt(plot.x)) \#(fmt(plot.y))V\#(fmt(plot.y + plot.h))H\#(fmt(plot.x + plot.w))"/>"#
            + "\n"
        svg +=
            #"<text class="fg" x="\#(fmt(plot.x + plot.w / 2))" y="\#(fmt(plot.y + plot.h + 36))" text-anchor="middle">\#(escape(xLabel))</text>"#
            + "\n"
        svg +=
            #"<text class="fg" transform="translate(16 \#(fmt(plot.y + plot.h / 2))) rotate(-90)" text-anchor="middle">\#(escape(yLabel + (log ? " (log scale)" : "")))</text>"#
            + "\n"

        // Lines.
        for (i, s) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            // Later lines are thinner, so a line identical to an earlier one shows inside it.
            let width = series.count > 1 ? Swift.max(1.2, 3.2 - 0.7 * Double(i)) : 1.5
            svg += #"<polyline class="line" stroke="\#(color)" stroke-width="\#(fmt(width))" points=""#
            var first = true
            let columns = Swift.max(1, Int(plot.w * Double(s.values.count) / Double(Swift.max(steps, 1))))
            for (x, v) in points(s.values, from: start + s.offset * valueStride, columns: columns) {
                if !first { svg += " " }
                first = false
                svg += fmt(px(x)) + "," + fmt(py(v))
            }
            svg += "\"/>\n"
        }

        // Legend.
        if legendRows > 0 {
            var y = plot.y + plot.h + 52
            for (i, s) in series.prefix(legendRows).enumerated() {
                let color = Self.palette[i % Self.palette.count]
                svg +=
                    #"<line x1="\#(fmt(left))" x2="\#(fmt(left + 22))" y1="\#(fmt(y - 4))" y2="\#(fmt(y - 4))" stroke="\#(color)" stroke-width="3"/>"#
                svg += #"<text class="fg" x="\#(fmt(left + 28))" y="\#(fmt(y))">\#(escape(s.label))</text>"# + "\n"
                y += 18
            }
        }
        svg += "</svg>\n"
        return Array(svg.utf8)
    }

    /// The points of a step line: `(x, value)` with x in steps. Up to `columns` values, each
    /// holds until the next step; beyond that, each pixel column keeps its first, smallest,
    /// largest and last value, in step order.
    func points(_ values: [Double], from first: Int, columns: Int) -> [(Double, Double)] {
        let n = values.count
        guard n > 0 else { return [] }
        let x0 = Double(first)
        let dx = Double(valueStride)
        var out: [(Double, Double)] = []
        if n <= columns {
            out.reserveCapacity(2 * n)
            for (i, v) in values.enumerated() {
                let x = x0 + Double(i) * dx
                if i > 0, values[i - 1] != v { out.append((x, values[i - 1])) }
                if i == 0 || values[i - 1] != v { out.append((x, v)) }
            }
            out.append((x0 + Double(n) * dx, values[n - 1]))
            return out
        }
        out.reserveCapacity(4 * columns)
        var begin = 0
        for column in 0..<columns {
            let end = Swift.min(n, (column + 1) * n / columns)
            guard end > begin else { continue }
            var lowIndex = begin
            var highIndex = begin
            for i in begin..<end {
                if values[i] < values[lowIndex] { lowIndex = i }
                if values[i] > values[highIndex] { highIndex = i }
            }
            var indices = [begin, Swift.min(lowIndex, highIndex), Swift.max(lowIndex, highIndex), end - 1]
            indices.removeAll { $0 < begin }
            var previous = -1
            for i in indices where i != previous {
                out.append((x0 + Double(i) * dx, values[i]))
                previous = i
            }
            begin = end
        }
        out.append((x0 + Double(n) * dx, values[n - 1]))
        return out
    }

    /// The y range: the data's range, widened to nice ticks; a flat series gets room around it.
    func yRange(log: Bool) -> (Double, Double) {
        var low = Double.infinity
        var high = -Double.infinity
        for s in series {
            for v in s.values where v.isFinite && (!log || v > 0) {
                low = Swift.min(low, v)
                high = Swift.max(high, v)
            }
        }
        if !low.isFinite { return log ? (0.1, 1) : (0, 1) }
        if log {
            let l = pow(10, floor(Glibc.log10(low)))
            let h = pow(10, ceil(Glibc.log10(high)))
            return (l, h > l ? h : l * 10)
        }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            return (low - pad, high + pad)
        }
        if low > 0 && low < (high - low) * 0.25 { low = 0 }
        let step = niceStep((high - low) / 5)
        return (floor(low / step) * step, ceil(high / step) * step)
    }

    /// A 1-2-5 step close to `raw`.
    func niceStep(_ raw: Double) -> Double {
        let exponent = floor(Glibc.log10(raw))
        let base = pow(10, exponent)
        let fraction = raw / base
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * base
    }

    /// Ticks at multiples of a 1-2-5 step inside `low...high`, about `count` of them.
    func niceTicks(
        _ low: Double,
        _ high: Double,
        count: Int,
        integral: Bool = false
    ) -> [(value: Double, label: String)] {
        var step = niceStep((high - low) / Double(count))
        if integral { step = Swift.max(step, 1) }
        let first = ceil(low / step - 1e-9)
        let last = floor(high / step + 1e-9)
        guard last >= first, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { k in
            let value = k * step
            return (value, label(value, step: step))
        }
    }

    /// Ticks at powers of ten (and 2 and 5 times them when there are few decades).
    func logTicks(_ low: Double, _ high: Double) -> [(value: Double, label: String)] {
        let lowExponent = Int(floor(Glibc.log10(low)))
        let highExponent = Int(ceil(Glibc.log10(high)))
        let decades = highExponent - lowExponent
        let multiples: [Double] = decades <= 3 ? [1, 2, 5] : [1]
        let every = Swift.max(1, decades / 8)
        var ticks: [(Double, String)] = []
        for e in stride(from: lowExponent, through: highExponent, by: every) {
            for m in multiples {
                let value = m * pow(10, Double(e))
                if value >= low * (1 - 1e-12) && value <= high * (1 + 1e-12) {
                    ticks.append((value, label(value, step: value)))
                }
            }
        }
        return ticks
    }

    /// A tick label: as many decimals as the step needs, scientific for very small or large values.
    func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if step >= 1, magnitude < 1e15, value.rounded() == value { return String(Int(value)) }
        if magnitude < 1e-3 || magnitude >= 1e6 {
            let exponent = Int(floor(Glibc.log10(magnitude)))
            let mantissa = value / pow(10, Double(exponent))
            let digits = Swift.max(0, Int(ceil(-Glibc.log10(step / pow(10, Double(exponent))) - 1e-9)))
            return fixed(mantissa, decimals: Swift.min(digits, 6)) + "e\(exponent)"
        }
        let decimals = Swift.max(0, Int(ceil(-Glibc.log10(step) - 1e-9)))
        return fixed(value, decimals: Swift.min(decimals, 12))
    }

    /// `value` rounded to `decimals` places, as `%.*f` prints it.
    func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let digits = String(Int64(scaled))
        let padded = String(repeating: "0", count: Swift.max(0, decimals + 1 - digits.count)) + digits
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + padded }
        return sign + padded.dropLast(decimals) + "." + padded.suffix(decimals)
    }

    /// A coordinate with one decimal.
    func fmt(_ x: Double) -> String {
        let tenths = (x * 10).rounded()
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths)) % 10
        return fraction == 0 ? String(whole) : (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    /// Text escaped for XML content and attributes.
    func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 forbids most control characters.
                if c.value < 0x20 && c != "\t" && c != "\n" { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
