# syntax=docker/dockerfile:1
# Build stage: compile a release binary with the Swift standard library linked statically.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libmicrohttpd-dev zlib1g-dev libopenblas-serial-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
RUN swift package resolve
# openapi.yaml is compiled into the binary (Sources/Service/Assets/openapi.yaml links to it).
COPY openapi.yaml ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
RUN swift build -c release --static-swift-stdlib --product lrsched \
 && install -D "$(swift build -c release --show-bin-path)/lrsched" /out/lrsched \
 && strip /out/lrsched

# Runtime stage: Debian slim with libmicrohttpd and serial OpenBLAS (training's matrix products; no
# thread pool), running as an unprivileged numeric user (so that
# Kubernetes' runAsNonRoot can verify it). The port comes from LRSCHED_PORT, else PORT (which
# platforms inject), else 8080.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libmicrohttpd12 libopenblas0-serial \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 lrsched \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin lrsched
COPY --from=build /out/lrsched /usr/local/bin/lrsched
USER 10001:10001
ENV LRSCHED_HOST=0.0.0.0
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/lrsched"]
CMD ["serve"]
