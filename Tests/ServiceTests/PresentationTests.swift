import Foundation
import HTTPServer
import JSON
import Schedules
import Service
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Posts `body` to `/v1/schedules` with an optional query and `Accept`.
func schedule(_ body: String, query: String? = nil, accept: String? = nil) -> HTTPResponse {
    var fields = HTTPFields()
    if let accept { fields[.accept] = accept }
    return Application().handle(
        HTTPRequest(method: .post, path: "/v1/schedules", query: query, headerFields: fields, body: Array(body.utf8))
    )
}

extension HTTPResponse {
    var contentType: String? { headerFields[.contentType] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Counts elements and collects polyline point counts of an SVG document (and proves it is well-formed XML).
final class SVGProbe: NSObject, XMLParserDelegate {
    var polylinePoints: [Int] = []
    var elements = 0
    var texts: [String] = []
    var inText = false

    func parser(
        _ parser: XMLParser,
        didStartElement name: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements += 1
        if name == "polyline" {
            polylinePoints.append(attributes["points"]?.split(separator: " ").count ?? 0)
        }
        inText = name == "text"
        if inText { texts.append("") }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { texts[texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        inText = false
    }

    static func parse(_ bytes: [UInt8]) -> SVGProbe? {
        let probe = SVGProbe()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = probe
        return parser.parse() ? probe : nil
    }
}

@Suite("answer formats: CSV, SVG and content negotiation")
struct PresentationTests {
    static let cyclic =
        #"{"scheduler":"CyclicLR","params":{"base_lr":0.001,"max_lr":0.1,"step_size_up":2000},"epochs":1000000}"#

    @Test(
        "CSV parses back to the JSON values bit for bit",
        arguments: [
            #"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":37,"eta_min":1e-05},"epochs":120,"start":3}"#,
            #"{"scheduler":"OneCycleLR","lr":[0.1,0.05],"params":{"max_lr":[0.3,0.2],"total_steps":90},"epochs":90}"#,
            #"{"framework":"timm","scheduler":"CosineLRScheduler","lr":0.1,"params":{"t_initial":20,"warmup_t":3,"warmup_lr_init":1e-4,"cycle_limit":3},"epochs":70}"#,
        ]
    )
    func csvRoundTrip(_ body: String) throws {
        let json = try JSONParser.parse(schedule(body).body)
        let csv = schedule(body, query: "format=csv")
        #expect(csv.status == 200)
        #expect(csv.contentType == "text/csv; charset=utf-8")
        let lines = csv.text.components(separatedBy: "\r\n").dropLast()
        #expect(csv.text.hasSuffix("\r\n"), "every CSV row ends with CRLF")
        let header = lines.first?.split(separator: ",").map(String.init) ?? []
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        let lrs = try #require(json["lrs"]?.arrayValue).map { $0.doubleValue ?? .nan }
        #expect(rows.count == lrs.count, "rows: \(rows.count), JSON values: \(lrs.count)")
        var expected: [(String, [Double])] = [("lr", lrs)]
        if let groups = json["group_lrs"]?.arrayValue {
            for (g, group) in groups.enumerated().dropFirst() {
                expected.append(("lr_group_\(g)", group.arrayValue!.map { $0.doubleValue! }))
            }
        }
        if let momentums = json["momentums"]?.arrayValue {
            expected.append(("momentum", momentums.map { $0.doubleValue! }))
        }
        if let groups = json["group_momentums"]?.arrayValue {
            for (g, group) in groups.enumerated().dropFirst() {
                expected.append(("momentum_group_\(g)", group.arrayValue!.map { $0.doubleValue! }))
            }
        }
        #expect(header == ["epoch"] + expected.map(\.0), "header \(header)")
        let start = json["start"]?.intValue ?? 0
        for (i, row) in rows.enumerated() {
            #expect(row.first == String(start + i), "row \(i): epoch \(row.first ?? "?"), expected \(start + i)")
            for (c, column) in expected.enumerated() {
                let parsed = Double(row[c + 1])
                #expect(
                    parsed?.bitPattern == column.1[i].bitPattern,
                    "row \(i) \(column.0): CSV \(row[c + 1]), JSON \(column.1[i])"
                )
            }
        }
    }

    @Test("SVG of 1,000 epochs: well-formed, one step line, named title and axes")
    func svgSmall() throws {
        let body = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":300,"gamma":0.5},"epochs":1000}"#
        let response = schedule(body, accept: "image/svg+xml")
        #expect(response.status == 200)
        #expect(response.contentType == "image/svg+xml")
        let probe = try #require(SVGProbe.parse(response.body), "the SVG is not well-formed XML")
        #expect(probe.polylinePoints.count == 1)
        // 1,000 epochs on a 704-pixel plot: columns keep first/min/max/last, so at most 4 per column + the end.
        #expect(probe.polylinePoints[0] <= 4 * 704 + 1, "points: \(probe.polylinePoints[0])")
        #expect(probe.texts.contains("StepLR (torch)"), "texts: \(probe.texts.prefix(3))")
        #expect(probe.texts.contains { $0.contains("step_size=300") })
        #expect(probe.texts.contains("epoch") && probe.texts.contains("learning rate"))
        #expect(!response.text.contains("<script"))
    }

    @Test("SVG of a short schedule is a step line: one corner per change")
    func svgSteps() throws {
        let body = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3,"gamma":0.5},"epochs":10}"#
        let probe = try #require(SVGProbe.parse(schedule(body, query: "format=svg").body))
        // Values change at epochs 3, 6, 9: start point, two points per change, end point.
        #expect(probe.polylinePoints == [1 + 2 * 3 + 1], "points: \(probe.polylinePoints)")
    }

    @Test("SVG of 1,000,000 CyclicLR steps stays under 100 KB and keeps every tooth")
    func svgLong() throws {
        let response = schedule(Self.cyclic, query: "format=svg")
        #expect(response.status == 200)
        #expect(response.body.count < 100_000, "SVG is \(response.body.count) bytes")
        let probe = try #require(SVGProbe.parse(response.body))
        let points = probe.polylinePoints.first ?? 0
        #expect(points > 2 * 704 && points <= 4 * 704 + 1, "points: \(points)")
        // Every pixel column spans ~1,420 steps of a 4,000-step tooth, so the line must reach
        // both the floor and the peak many times: count y coordinates at the plot's extremes.
        let svg = response.text
        let polyline = try #require(svg.range(of: "points=\"").map { svg[$0.upperBound...] })
        let ys = polyline.prefix { $0 != "\"" }.split(separator: " ").compactMap { Double($0.split(separator: ",")[1]) }
        let top = ys.min() ?? 0
        let bottom = ys.max() ?? 0
        let peaks = ys.filter { $0 <= top + 2 }.count
        let floors = ys.filter { $0 >= bottom - 2 }.count
        #expect(peaks >= 200 && floors >= 200, "peaks \(peaks), floors \(floors): the saw is flattened")
    }

    @Test("several parameter groups: one line each and a legend; log scale labels the axis")
    func svgGroupsLog() throws {
        let body = #"{"scheduler":"ExponentialLR","lr":[0.1,0.01],"params":{"gamma":0.9},"epochs":200}"#
        let response = schedule(body, query: "format=svg&scale=log&width=640&height=400")
        let probe = try #require(SVGProbe.parse(response.body))
        #expect(probe.polylinePoints.count == 2)
        #expect(probe.texts.contains("group 0") && probe.texts.contains("group 1"))
        #expect(probe.texts.contains("learning rate (log scale)"))
        #expect(response.text.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400""#))
    }

    @Test(
        "Accept chooses the format; ?format wins over it",
        arguments: [
            (nil, nil, "application/json"),
            ("text/csv", nil, "text/csv; charset=utf-8"),
            ("image/svg+xml, */*;q=0.1", nil, "image/svg+xml"),
            ("text/*", nil, "text/csv; charset=utf-8"),
            ("*/*", nil, "application/json"),
            ("application/json;q=0.5, text/csv;q=0.9", nil, "text/csv; charset=utf-8"),
            ("text/html, image/*", nil, "image/svg+xml"),
            ("text/csv", "format=json", "application/json"),
            ("application/xml", "format=svg", "image/svg+xml"),
        ] as [(String?, String?, String)]
    )
    func negotiation(_ accept: String?, _ query: String?, _ expected: String) {
        let body = #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3},"epochs":5}"#
        let response = schedule(body, query: query, accept: accept)
        #expect(response.status == 200)
        #expect(
            response.contentType == expected,
            "Accept \(accept ?? "-"), query \(query ?? "-"): expected \(expected), got \(response.contentType ?? "-")"
        )
    }

    @Test("an Accept that allows no format is a 406 problem listing the supported types")
    func notAcceptable() throws {
        let response = schedule(
            #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3},"epochs":5}"#,
            accept: "text/html, application/json;q=0"
        )
        #expect(response.status == 406)
        #expect(response.contentType == "application/problem+json")
        let problem = try JSONParser.parse(response.body)
        #expect(
            problem["supported"]?.arrayValue?.compactMap(\.stringValue) == [
                "application/json", "text/csv", "image/svg+xml",
            ]
        )
    }

    @Test(
        "bad query values are 400 problems naming the value",
        arguments: ["format=png", "scale=cubic", "width=10", "height=99999", "width=abc"]
    )
    func badQuery(_ query: String) throws {
        let response = schedule(#"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":3},"epochs":5}"#, query: query)
        #expect(response.status == 400, "\(query): status \(response.status)")
        let value = String(query.split(separator: "=")[1])
        #expect(response.text.contains(value), "\(query): \(response.text)")
    }

    @Test("errors stay problem+json whatever the format")
    func errorsStayJSON() {
        let response = schedule(
            #"{"scheduler":"StepLR","lr":0.1,"params":{"step_size":0},"epochs":5}"#,
            query: "format=svg"
        )
        #expect(response.status == 422)
        #expect(response.contentType == "application/problem+json")
    }
}
