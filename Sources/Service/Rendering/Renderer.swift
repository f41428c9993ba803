import HTTPServer

/// Turns an answer into an HTTP response in the format it asks for: schedule answers as JSON,
/// CSV or SVG (`Presentation`), everything else as JSON, problems as problem+json.
public enum Renderer {
    /// The HTTP response carrying `answer`.
    public static func response(_ answer: Answer) -> HTTPResponse {
        let presentation: Presentation
        let body: [UInt8]
        switch answer {
        case .schedule(let schedule):
            presentation = schedule.presentation
            body = Self.body(schedule)
        case .batch(let batch):
            presentation = batch.presentation
            body = Self.body(batch)
        case .openAPI:
            return HTTPResponse(
                status: 200,
                headerFields: [.contentType: "application/yaml; charset=utf-8"],
                body: Asset.openAPI
            )
        case .metrics(let text):
            return HTTPResponse(
                status: 200,
                headerFields: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: text
            )
        case .playground:
            return HTTPResponse(
                status: 200,
                headerFields: [
                    .contentType: "text/html; charset=utf-8",
                    .contentSecurityPolicy: Asset.playgroundPolicy,
                    .xContentTypeOptions: "nosniff",
                    .referrerPolicy: "no-referrer",
                ],
                body: Asset.playground
            )
        default:
            return JSONRenderer.response(answer)
        }
        return HTTPResponse(status: 200, headerFields: headers(presentation.format), body: body)
    }

    /// A schedule or batch answer's headers: its format's `Content-Type`, and `Vary: Accept`
    /// (the format can come from `Accept`). Built once per format, so an answer shares them.
    static func headers(_ format: OutputFormat) -> HTTPFields {
        switch format {
        case .json: jsonHeaders
        case .csv: csvHeaders
        case .svg: svgHeaders
        }
    }

    private static let jsonHeaders: HTTPFields = [.contentType: OutputFormat.json.contentType, .vary: "Accept"]
    private static let csvHeaders: HTTPFields = [.contentType: OutputFormat.csv.contentType, .vary: "Accept"]
    private static let svgHeaders: HTTPFields = [.contentType: OutputFormat.svg.contentType, .vary: "Accept"]

    /// The body of a batch answer in its presentation's format.
    public static func body(_ batch: BatchAnswer) -> [UInt8] {
        switch batch.presentation.format {
        case .json: JSONRenderer.body(.batch(batch))
        case .csv: CSVRenderer.body(batch)
        case .svg: SVGRenderer.body(batch)
        }
    }

    /// The body of a schedule answer in its presentation's format.
    public static func body(_ schedule: ScheduleAnswer) -> [UInt8] {
        switch schedule.presentation.format {
        case .json: JSONRenderer.body(.schedule(schedule))
        case .csv: CSVRenderer.body(schedule)
        case .svg: SVGRenderer.body(schedule)
        }
    }
}
