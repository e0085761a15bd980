# syntax=docker/dockerfile:1
# The `gmp` image: build with `docker build -t game-market-pipeline .` (or `make up`).
#
# Base images are pinned by tag. A tag can still be re-pushed (the Node image is rebuilt for Debian
# security fixes), so for byte-for-byte reproducible builds also pin the digest:
#   docker buildx imagetools inspect node:20.20.2-bookworm-slim    # prints the index digest
#   ARG NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:<that digest>
# No digest is written here: none could be looked up from the machine this was written on (no
# registry access), and a wrong digest fails every build. Node 20 is the project's one version:
# keep this image in step with package.json "engines" (>=20.12), the CI workflow and USER_MANUAL.md
# (tests/containers/node-version.test.ts checks them).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# better-sqlite3 compiles from source when no prebuilt binary matches: python3, make and g++.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS builder
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY ingestion ./ingestion
COPY lake ./lake
COPY warehouse ./warehouse
COPY transform ./transform
COPY ml ./ml
COPY orchestration ./orchestration
COPY sandbox ./sandbox
COPY app ./app
COPY server ./server
COPY scripts ./scripts
COPY cli ./cli
RUN npm run build

# A separate install, so no dev dependency (tsx, vitest, typescript) reaches the runtime image.
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    GMP_HOME=/data
WORKDIR /app
# Model training drives XGBoost's C API (Debian's libxgboost0) in a child process; scoring needs no native code.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libxgboost0 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY models ./models
COPY dashboards ./dashboards
COPY alerts.yml ./
# /data holds the lake, warehouse, state and logs by default; it must belong to the runtime user
# before VOLUME, or a fresh named volume is created root-owned and gmp cannot write to it. `gmp` on
# PATH serves `docker compose exec pipeline gmp …` and the CDK task, whose entrypoint is ['gmp'].
RUN mkdir -p /data \
 && chown node:node /data \
 && ln -s /app/bin/gmp.js /usr/local/bin/gmp
# The `node` user (uid 1000) ships with the Node image; the application files stay root-owned.
USER node
VOLUME ["/data"]
# Relative paths (`gmp compile --out build/`, a `.env`) resolve inside the volume.
WORKDIR /data
ENTRYPOINT ["node", "/app/bin/gmp.js"]
CMD ["--help"]
