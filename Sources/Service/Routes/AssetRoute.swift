import HTTPServer

/// Files the binary serves itself, compiled in (`GET /openapi.yaml`).
enum Asset {
    /// The API description, byte for byte the repository's openapi.yaml.
    static let openAPI = PackageResources.openapi_yaml
}
