# twelve as a static binary (musl) in a small image, for `docker://` steps on GitHub
# and jobs on GitLab CI:
#   docker build -t twelve .
#   docker run --rm -v "$PWD:/src" -w /src twelve check
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
# Only what the build reads (see `include` in Cargo.toml), so the layer cache holds.
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY rules rules
RUN cargo build --release --locked && strip target/release/twelve \
    && ! ldd target/release/twelve 2>/dev/null | grep -q '=>'

FROM alpine:3
# git for --diff-base and the repository root (the checkout is owned by another user
# in a mounted volume); a shell for GitLab CI jobs.
RUN apk add --no-cache git && git config --system --add safe.directory '*'
COPY --from=build /build/target/release/twelve /usr/local/bin/twelve
WORKDIR /src
ENTRYPOINT ["twelve"]
CMD ["check"]
