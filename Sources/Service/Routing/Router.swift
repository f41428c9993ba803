import HTTPServer
import JSON

/// Resolves a request to a route of one table, once per request: a dictionary look-up by path,
/// then the method. Everything else that names routes derives from the table: the 404's "did you
/// mean", the 405's `Allow`, the metrics' route labels.
struct Router: Sendable {
    /// The table, in the order metrics list it.
    let routes: [Route]
    private let byPath: [String: Int]
    /// The metric label of every index: the routes' names, then `not_found`.
    let labels: [String]

    /// The index that stands for "no route" (after the table's last row).
    var notFound: Int { routes.count }

    /// A router over `routes` (paths must be distinct).
    init(_ routes: [Route]) {
        self.routes = routes
        self.byPath = Dictionary(uniqueKeysWithValues: routes.enumerated().map { ($0.element.path, $0.offset) })
        self.labels = routes.map(\.name) + ["not_found"]
    }

    /// The route whose path is `path`, or ``notFound``.
    func index(of path: String) -> Int {
        byPath[path] ?? notFound
    }

    /// The handler for `request` routed to `index`: the route's own, or the 404 or 405 problem.
    func reply(to request: HTTPRequest, at index: Int, service: ScheduleService) -> Reply {
        guard index < routes.count else {
            return .now(.problem(Problem(.notFound, detail: notFoundDetail(request.path))))
        }
        let route = routes[index]
        guard route.allows(request.method) else {
            let allow = route.allowed.map(\.rawValue).joined(separator: ", ")
            return .now(
                .problem(
                    Problem(
                        .methodNotAllowed,
                        detail: "\(request.method.rawValue) is not allowed on \(request.path); allowed: \(allow)",
                        headers: [HTTPField(name: .allow, value: allow)]
                    )
                )
            )
        }
        return route.handler(service, request)
    }

    /// A 404's detail: the closest route when the path is a near miss (case, a trailing slash, a
    /// typo), as unknown fields get.
    func notFoundDetail(_ path: String) -> String {
        let shown = printable(path.count > 200 ? String(path.prefix(200)) + "…" : path)
        var candidate = path.lowercased()
        while candidate.count > 1 && candidate.hasSuffix("/") { candidate.removeLast() }
        let paths = routes.map(\.path)
        let suggestion =
            paths.first { $0 == candidate } ?? (path.count <= 64 ? closestMatch(to: candidate, in: paths) : nil)
        if let suggestion, suggestion != path {
            return "no route for \(shown); did you mean \(suggestion)? GET /openapi.yaml describes the endpoints"
        }
        return "no route for \(shown); GET /openapi.yaml describes the endpoints"
    }
}
