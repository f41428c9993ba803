import HTTPServer

/// Turns an answer into an HTTP response in the format it asks for: schedule answers as JSON,
/// CSV or SVG (`Presentation`), everything else as JSON, problems as problem+json.
public enum Renderer {
    /// The HTTP response carrying `answer`.
    public static func response(_ answer: Answer) -> HTTPResponse {
        guard case .schedule(let schedule) = answer else {
            return JSONRenderer.response(answer)
        }
        return HTTPResponse(
            status: 200,
            headers: [
                (name: "Content-Type", value: schedule.presentation.format.contentType),
                (name: "Vary", value: "Accept"),
            ],
            body: body(schedule)
        )
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
