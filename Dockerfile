# syntax=docker/dockerfile:1
# cookiescan in a container: Debian's Chromium, run as a non-root user under
# tini, reports written to a mounted folder.
#
#   docker build -t cookiescan .
#   docker run --rm -v "$PWD/reports:/reports" cookiescan \
#     scan https://www.example.com --format html,sarif --output /reports --fail-on high

# --- build: a static binary, version stamped from the build argument -------
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/cookiescan ./cmd/cookiescan

# --- runtime: Debian slim + Chromium + fonts + tini -------------------------
FROM debian:bookworm-slim
# The same script the tests run on a Debian machine (scripts/container_test.go).
COPY scripts/container-install.sh /usr/local/lib/cookiescan/container-install.sh
RUN COOKIESCAN_SLIM=1 /usr/local/lib/cookiescan/container-install.sh
# Chrome's own sandbox needs user namespaces, which Docker's default seccomp
# profile refuses; the container is the sandbox here. Debian's chromium
# wrapper reads its extra flags from /etc/chromium.d.
RUN echo 'export CHROMIUM_FLAGS="$CHROMIUM_FLAGS --no-sandbox"' > /etc/chromium.d/cookiescan-container
COPY --from=build /out/cookiescan /usr/local/bin/cookiescan

USER cookiescan
WORKDIR /reports
ENV COOKIESCAN_BROWSER=/usr/bin/chromium \
    XDG_CACHE_HOME=/home/cookiescan/.cache \
    XDG_DATA_HOME=/home/cookiescan/.local/share
VOLUME ["/reports"]
# tini is PID 1: it forwards signals to cookiescan and reaps the zombie
# processes Chrome leaves when its helpers exit.
ENTRYPOINT ["/usr/bin/tini", "--", "cookiescan"]
CMD ["--help"]
