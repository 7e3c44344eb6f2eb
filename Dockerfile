# syntax=docker/dockerfile:1
# One image for the API and the workers (docker-compose runs it twice with different commands).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY machines ./machines
COPY services ./services
COPY workers ./workers
COPY composition ./composition
COPY config ./config
COPY scripts ./scripts
COPY console ./console
# The console's 流程图 tab draws the machine diagrams generated into docs/machines.
COPY docs/machines ./docs/machines
RUN npm run build && node dist/scripts/build-console.js && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system ajsc && useradd --system --gid ajsc --home /app ajsc
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY config/calendar ./config/calendar
COPY services/store/sql/migrations ./dist/services/store/sql/migrations
USER ajsc
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/services/main.js", "--api-only"]
