import HTTPServer

/// The formats a schedule answer can be rendered in.
public enum OutputFormat: String, CaseIterable, Sendable {
    case json, csv, svg

    /// The media type sent in `Content-Type` (and matched against `Accept`).
    public var mediaType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv"
        case .svg: "image/svg+xml"
        }
    }

    /// The `Content-Type` header value.
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .svg: "image/svg+xml"
        }
    }
}

/// The y axis of a chart.
public enum ChartScale: String, Sendable {
    case linear, log
}

/// Size and scale of an SVG chart.
public struct ChartOptions: Sendable, Equatable {
    /// Chart width in pixels (`?width=`, 320...4000).
    public var width = 800
    /// Chart height in pixels (`?height=`, 200...3000).
    public var height = 450
    /// `?scale=linear|log`.
    public var scale = ChartScale.linear

    /// Allowed widths.
    public static let widths = 320...4000
    /// Allowed heights.
    public static let heights = 200...3000

    /// The default options.
    public init() {}
}

/// How an answer is presented: its format, and for SVG the chart options.
public struct Presentation: Sendable, Equatable {
    /// The output format.
    public var format = OutputFormat.json
    /// Chart options, used by SVG only.
    public var chart = ChartOptions()

    /// JSON, the default.
    public static let json = Presentation()

    /// A presentation with `format`.
    public init(format: OutputFormat = .json, chart: ChartOptions = ChartOptions()) {
        self.format = format
        self.chart = chart
    }

    /// Chooses the presentation of a schedule answer: `?format=json|csv|svg` wins over `Accept`,
    /// so a plain `<img src>` or a browser tab works; `?scale`, `?width` and `?height` set the
    /// chart. An `Accept` that allows none of the formats is a 406; a bad query value is a 400.
    public static func negotiate(query: String?, accept: String?) throws(Problem) -> Presentation {
        var presentation = Presentation()
        let items = QueryString.parse(query)
        if let value = items["format"] {
            guard let format = OutputFormat(rawValue: value.lowercased()) else {
                throw Problem(
                    .badRequest,
                    detail: "unknown format \"\(value)\"; use one of "
                        + OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            presentation.format = format
        } else if let accept {
            guard let format = preferredFormat(accept: accept) else {
                throw Problem(
                    .notAcceptable,
                    detail: "none of the answer's media types is acceptable (Accept: \(accept)); supported: "
                        + OutputFormat.allCases.map(\.mediaType).joined(separator: ", "),
                    extensions: [("supported", .array(OutputFormat.allCases.map { .string($0.mediaType) }))]
                )
            }
            presentation.format = format
        }
        if let value = items["scale"] {
            guard let scale = ChartScale(rawValue: value.lowercased()) else {
                throw Problem(.badRequest, detail: "unknown scale \"\(value)\"; use linear or log")
            }
            presentation.chart.scale = scale
        }
        presentation.chart.width = try dimension("width", items["width"], ChartOptions.widths, 800)
        presentation.chart.height = try dimension("height", items["height"], ChartOptions.heights, 450)
        return presentation
    }

    static func dimension(
        _ name: String,
        _ value: String?,
        _ range: ClosedRange<Int>,
        _ fallback: Int
    )
        throws(Problem) -> Int
    {
        guard let value else { return fallback }
        guard let n = Int(value), range.contains(n) else {
            throw Problem(
                .badRequest,
                detail: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), got \"\(value)\""
            )
        }
        return n
    }

    /// The format `Accept` prefers (RFC 9110 §12.5.1): the highest `q`, ties broken by the
    /// order JSON, CSV, SVG; `*/*`, `text/*`, `image/*` and `application/*` match; `q=0`
    /// excludes. `nil` when nothing matches.
    static func preferredFormat(accept: String) -> OutputFormat? {
        var best: (format: OutputFormat, quality: Double, specificity: Int)?
        for format in OutputFormat.allCases {
            var quality: Double?
            var specificity = -1
            for item in accept.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
                guard let range = parts.first?.lowercased(), !range.isEmpty else { continue }
                let level: Int
                if range == format.mediaType {
                    level = 2
                } else if range == "*/*" {
                    level = 0
                } else if range.hasSuffix("/*"), format.mediaType.hasPrefix(range.dropLast()) {
                    level = 1
                } else {
                    continue
                }
                guard level > specificity else { continue }
                specificity = level
                quality = 1
                for parameter in parts.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: " \t")
                    }
                    if pair.count == 2, pair[0].lowercased() == "q" { quality = Double(pair[1]) ?? 1 }
                }
            }
            guard let q = quality, q > 0 else { continue }
            if best == nil || q > best!.quality || (q == best!.quality && specificity > best!.specificity) {
                best = (format, q, specificity)
            }
        }
        return best?.format
    }
}

/// `application/x-www-form-urlencoded` query strings.
enum QueryString {
    /// The query's parameters, percent-decoded (`+` is a space); the first of repeated names wins.
    static func parse(_ query: String?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            guard !name.isEmpty, items[name] == nil else { continue }
            items[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return items
    }

    /// The bytes of the first parameter named `name`, percent-decoded (`+` is a space), or nil.
    static func bytes(of name: String, in query: String?) -> [UInt8]? {
        guard let query, !query.isEmpty else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if decode(parts[0]) == name { return parts.count > 1 ? decodeBytes(parts[1]) : [] }
        }
        return nil
    }

    static func decode(_ text: Substring) -> String {
        String(decoding: decodeBytes(text), as: UTF8.self)
    }

    /// Percent-decoded bytes, kept as they are (not repaired into UTF-8).
    static func decodeBytes(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
