# syntax=docker/dockerfile:1
#
# One image for every Rackrate process; the command picks the role:
#   node dist/api/main.js         HTTP API (the default CMD)
#   node dist/workers/main.js     Temporal worker (RACKRATE_TASK_QUEUES picks the queues)
#   node dist/scripts/migrate.js  applies pending migrations to DATABASE_URL, then exits
# docker-compose.yml runs all three; docs/deployment.md explains the stack.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: install everything, compile TypeScript, then drop dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# package.json's allowScripts policy (which dependencies may run install
# scripts) is read by npm 11; the npm bundled with the base image may be
# older and would run every install script, so install the npm the lockfile
# is maintained with.
ARG NPM_VERSION=11.19.1
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION}

ENV npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false

# Dependencies first, so editing source does not reinstall them.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

COPY . .
RUN npm run build \
 && npm prune --omit=dev \
 && rm -rf dist/test dist/bench dist/.tsbuildinfo

# ---- runtime: compiled JavaScript and production dependencies only ----
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production

COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# The official image's unprivileged user; the app writes nothing to disk.
USER node

EXPOSE 3000
CMD ["node", "dist/api/main.js"]
