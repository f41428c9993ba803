import HTTPServer
import JSON
import Schedules
import Training

/// An RFC 9457 problem detail: the body of every error response
/// (`Content-Type: application/problem+json`).
public struct Problem: Error, Sendable, Equatable {
    /// The kinds of problem lrsched reports; each has a stable `type` URI and a title.
    public enum Kind: String, Sendable, CaseIterable {
        case malformedJSON = "malformed-json"
        case invalidSpec = "invalid-spec"
        case evaluationFailed = "evaluation-failed"
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case bodyTooLarge = "body-too-large"
        case badRequest = "bad-request"
        case notAcceptable = "not-acceptable"
        case busy = "busy"
        case notModified = "not-modified"

        /// The problem `type`, a URN that identifies the kind.
        public var type: String { "urn:lrsched:problem:\(rawValue)" }

        /// A short, fixed summary of the kind.
        public var title: String {
            switch self {
            case .malformedJSON: "Malformed JSON"
            case .invalidSpec: "Invalid request"
            case .evaluationFailed: "Evaluation failed"
            case .notFound: "Not found"
            case .methodNotAllowed: "Method not allowed"
            case .bodyTooLarge: "Request body too large"
            case .badRequest: "Bad request"
            case .notAcceptable: "Not acceptable"
            case .busy: "Busy"
            case .notModified: "Precondition failed: not modified"
            }
        }

        /// The HTTP status of the kind.
        public var status: HTTPStatus {
            switch self {
            case .malformedJSON, .badRequest: 400
            case .invalidSpec, .evaluationFailed: 422
            case .notFound: 404
            case .methodNotAllowed: 405
            case .notAcceptable: 406
            case .bodyTooLarge: 413
            case .busy: 503
            case .notModified: 412
            }
        }
    }

    /// What kind of problem this is.
    public var kind: Kind
    /// A human-readable explanation of this occurrence.
    public var detail: String
    /// One entry per offending field (`pointer` + `detail`), for 422 answers.
    public var errors: [FieldIssue] = []
    /// Extension members (e.g. `line`, `column` for malformed JSON; `epoch` for evaluation).
    public var extensions: [(key: String, value: JSONValue)] = []
    /// Extra response headers (e.g. `Allow` for 405).
    public var headers: [HTTPField] = []
    /// The occurrence: `urn:lrsched:request:<request id>` (RFC 9457 `instance`), when known.
    public var instance: String?

    /// A problem of `kind` with `detail`.
    public init(
        _ kind: Kind,
        detail: String,
        errors: [FieldIssue] = [],
        extensions: [(key: String, value: JSONValue)] = [],
        headers: [HTTPField] = []
    ) {
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.extensions = extensions
        self.headers = headers
    }

    public static func == (a: Problem, b: Problem) -> Bool {
        a.kind == b.kind && a.detail == b.detail && a.errors == b.errors
    }

    /// The problem+json body.
    public var body: [UInt8] {
        var w = JSONWriter(reservingCapacity: 256)
        w.beginObject()
        w.key("type")
        w.string(kind.type)
        w.key("title")
        w.string(kind.title)
        w.key("status")
        w.int(kind.status.code)
        w.key("detail")
        w.string(detail)
        if let instance {
            w.key("instance")
            w.string(instance)
        }
        for (key, value) in extensions {
            w.key(key)
            w.write(value)
        }
        if !errors.isEmpty {
            w.key("errors")
            w.beginArray()
            for issue in errors {
                w.beginObject()
                w.key("pointer")
                w.string(issue.pointer.description)
                w.key("detail")
                w.string(issue.detail)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }
}

extension Problem {
    /// The one place where schedule errors become HTTP problems.
    init(_ error: ScheduleError) {
        switch error {
        case .invalidSpec(let issues):
            let summary =
                issues.count == 1
                ? "\(issues[0].pointer.description.isEmpty ? "the body" : issues[0].pointer.description) \(issues[0].detail)"
                : "\(issues.count) fields are invalid; see `errors`"
            self.init(.invalidSpec, detail: summary, errors: issues)
        case .evaluationFailed(let issue, let epoch):
            self.init(
                .evaluationFailed,
                detail: "evaluation fails at epoch \(epoch): \(issue.detail)",
                errors: [issue],
                extensions: [("epoch", .integer(epoch))]
            )
        }
    }

    /// A training run that failed after it was accepted.
    init(_ error: TrainingRunError) {
        switch error {
        case .schedule(let error):
            self.init(error)
        case .training(let error, let epoch):
            self.init(
                .evaluationFailed,
                detail: "training fails at epoch \(epoch): \(error)",
                extensions: [("epoch", .integer(epoch))]
            )
        case .cancelled(let epoch):
            self.init(
                .busy,
                detail: "the server is shutting down: the run was stopped after \(epoch) epochs; retry",
                extensions: [("epoch", .integer(epoch))],
                headers: [HTTPField(name: .retryAfter, value: "1")]
            )
        }
    }

    /// A 503 `busy` whose request may be retried in a second (`Retry-After: 1`).
    static func busy(_ detail: String) -> Problem {
        Problem(.busy, detail: detail, headers: [HTTPField(name: .retryAfter, value: "1")])
    }

    /// A body that is not valid JSON.
    init(_ error: JSONParseError) {
        self.init(
            .malformedJSON,
            detail:
                "invalid JSON at line \(error.line), column \(error.column) (byte \(error.offset)): \(error.message)",
            extensions: [
                ("line", .integer(error.line)), ("column", .integer(error.column)),
                ("offset", .integer(error.offset)),
            ]
        )
    }
}
