# syntax=docker/dockerfile:1
#
# paperboy's container image.
#
#   docker build -t paperboy .
#   docker run -d --name paperboy --env-file .env -v paperboy-data:/data -p 9464:9464 paperboy
#
# The image sets DATABASE_PATH (on the /data volume) and HTTP_PORT (for the HEALTHCHECK): leave both out of the
# container's env file. A copied `.env.example` has `DATABASE_PATH=./data/...` (off the volume, and /app is not
# writable) and an empty `HTTP_PORT=`, which turns the health endpoint off.
#
# Stages: `toolchain` (Node + the compilers better-sqlite3's native addon needs) feeds two stages that BuildKit
# runs in parallel: `build` (every dependency, TypeScript compiled to dist/) and `prod-deps` (production
# dependencies only, the addon compiled). `runtime` takes dist/ and node_modules/ from them into a clean slim image:
# no compilers, no dev dependencies, no sources, no npm cache.
#
# Install scripts. package.json's "allowScripts" approves the only two dependencies with install scripts
# (better-sqlite3: prod, esbuild: dev), which npm 11 requires before it runs them. Node 22 images ship npm 10,
# which ignores that field and runs every install script, as it always has. Either way the same scripts run, so
# the image keeps its own npm rather than downloading another; `prod-deps` then loads the addon, so a skipped or
# failed compile fails the build here instead of the bot at start.

FROM node:22-bookworm-slim AS base
WORKDIR /app

FROM base AS toolchain
# better-sqlite3's install script fetches a prebuilt binary for this Node ABI when it can, and otherwise compiles
# with node-gyp: python3, make and g++, against the headers that ship in the image (nodedir), not downloaded ones,
# its two sources compiled in parallel (JOBS).
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local \
    JOBS=max
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY commands ./commands
COPY config ./config
COPY src ./src
RUN npm run build

FROM toolchain AS prod-deps
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund \
    && node -e "new (require('better-sqlite3'))(':memory:').close()"

FROM base AS runtime
# tini as PID 1: it forwards `docker stop`'s SIGTERM to node (which shuts down gracefully: scheduler, Discord,
# database) and reaps zombies. Node as PID 1 would get no default signal actions: a SIGTERM during start-up, before
# its handlers exist, would be ignored until Docker's kill.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_PATH=/data/paperboy.db \
    HTTP_PORT=9464
# The application stays owned by root, so the bot (running as `node`) cannot modify its own code; it writes only
# to /data. package.json comes along for its "type": "module", which makes dist/'s .js files ES modules.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# A named volume starts as a copy of this directory, owned by node. A bind mount keeps the host's ownership:
# give it to uid 1000 (the image's node user), e.g. `chown 1000:1000 ./data`.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 9464
# Slim images have no curl; Node 22 has fetch. 200 means connected and working, anything else (or no answer) not.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||9464)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/src/cli/bin.js", "start"]
