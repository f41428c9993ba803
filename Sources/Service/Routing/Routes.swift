import HTTPServer

extension Router {
    /// lrsched's routes, one row each. Adding a route is a row here (its handler beside the
    /// others in `Routes/`) plus its description in openapi.yaml.
    static let lrsched = Router([
        Route("playground", "/", [.get]) { _, _ in .now(.playground) },
        Route("healthz", "/healthz", [.get]) { _, _ in .now(.health) },
        Route("readyz", "/readyz", [.get]) { service, _ in .now(service.readinessAnswer()) },
        Route("metrics", "/metrics", [.get]) { service, _ in .now(service.metricsAnswer()) },
        Route("openapi", "/openapi.yaml", [.get]) { _, _ in .now(.openAPI) },
        Route("schedulers", "/v1/schedulers", [.get]) { _, _ in .now(.catalogue) },
        Route("schedules", "/v1/schedules", [.get, .post], cacheable: true) { service, request in
            service.schedule(request, batch: false)
        },
        Route("schedules_batch", "/v1/schedules/batch", [.post], cacheable: true) { service, request in
            service.schedule(request, batch: true)
        },
        Route("training_runs", "/v1/training-runs", [.post], cacheable: true) { service, request in
            service.training(request)
        },
    ])
}
