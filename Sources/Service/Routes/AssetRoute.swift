import HTTPServer

/// Files the binary serves itself, compiled in (`GET /openapi.yaml`, `GET /`).
enum Asset {
    /// The API description, byte for byte the repository's openapi.yaml.
    static let openAPI = PackageResources.openapi_yaml
    /// The playground page: HTML with its style and script inline, using only this server's API.
    static let playground = PackageResources.playground_html
    /// The page's Content-Security-Policy: its own inline script and style, requests to this
    /// origin only, nothing else (no CDN, no frames, no plugins).
    static let playgroundPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}
