#!/usr/bin/env bash
# Proves the Dockerfile's runtime stage works, without a container engine (none runs on the development machines
# or in CI): it does what the image does, in a temporary directory.
#
#   1. `npm run build` in the repository (the `build` stage);
#   2. package.json, package-lock.json and dist/ copied to an empty directory, `npm ci --omit=dev` there
#      (the `prod-deps` stage), and the same load check of the native SQLite addon; no dev dependency installed;
#   3. the built entry started as the image's CMD does (`node dist/src/cli/bin.js start`), with the image's
#      environment (NODE_ENV=production, a DATABASE_PATH, HTTP_PORT) and nothing else: no .env, no tsx, no sources,
#      and nothing resolvable from the repository's node_modules;
#   4. it must connect (to the project's fake Discord and fake Hugging Face, on 127.0.0.1), answer 200 on /healthz
#      (the image's HEALTHCHECK) and on /metrics, store the lists it ingests, and exit 0 on SIGTERM (`docker stop`).
#
# The fakes live in test/ (dev only), so they run beside the bot from the repository, with its tsx.
# Needs the repository's dependencies installed (`npm ci`). About a minute, most of it compiling better-sqlite3;
# the npm cache is reused. KEEP_WORKDIR=1 keeps the temporary directory for a look afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/paperboy-runtime.XXXXXX")"
APP="$WORK/app"
FAKES_PID=""
BOT_PID=""

HEALTH_TIMEOUT_S=60
STOP_TIMEOUT_S=15

step() { printf '\n== %s\n' "$*"; }
fail() {
  printf '\nFAILED: %s\n' "$*" >&2
  if [[ -s "$WORK/bot.log" ]]; then
    printf -- '--- last lines of the bot log (%s):\n' "$WORK/bot.log" >&2
    tail -n 40 "$WORK/bot.log" >&2
  fi
  exit 1
}
cleanup() {
  local pid
  for pid in "$BOT_PID" "$FAKES_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ "${KEEP_WORKDIR:-0}" == "1" ]]; then
    printf 'kept %s\n' "$WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

step "build (the image's build stage)"
(cd "$ROOT" && npm run build --silent)
[[ -f "$ROOT/dist/src/cli/bin.js" ]] || fail "npm run build did not produce dist/src/cli/bin.js"

step "production-only install from the lockfile in $APP (the prod-deps stage)"
mkdir -p "$APP"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$APP/"
cp -R "$ROOT/dist" "$APP/dist"
# JOBS=max: node-gyp compiles better-sqlite3's two sources in parallel (the Dockerfile sets it too).
(cd "$APP" && JOBS=max NODE_ENV=production npm ci --omit=dev --no-audit --no-fund)
(cd "$APP" && node -e "new (require('better-sqlite3'))(':memory:').close()") ||
  fail "better-sqlite3's native addon does not load: its install script was skipped or failed"
for dev in tsx typescript vitest eslint prettier esbuild; do
  [[ ! -e "$APP/node_modules/$dev" ]] || fail "dev dependency $dev was installed by npm ci --omit=dev"
done
# The bot must find nothing outside its own directory (as in the image, where /app is all there is).
for outside in "$WORK/node_modules" "$(dirname "$WORK")/node_modules" /node_modules; do
  [[ ! -e "$outside" ]] || fail "$outside exists: the bot could resolve packages from it"
done

step "fake Discord and fake Hugging Face on 127.0.0.1"
# A real list (a fixture) served for the days the bot ingests at start, so it stores something.
cat >"$WORK/fakes.mts" <<'TS'
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const root = process.argv[2] ?? '.';
const load = (path: string) => import(pathToFileURL(`${root}/${path}`).href);
const { startFakeDiscord } = await load('test/support/fake-discord/index.ts');
const { startFakeHf } = await load('test/support/fake-hf.ts');
const { recentDays } = await load('src/jobs/ingest.ts');

const fixture = `${root}/test/fixtures/hf-api/daily_papers_date-2026-08-21_filtered-reindented.json`;
const items = JSON.parse(readFileSync(fixture, 'utf8')) as { paper: Record<string, unknown> }[];
const days: Record<string, { api: unknown[] }> = {};
for (const day of recentDays(new Date()) as string[]) {
  days[day] = {
    api: items.map((item) => {
      const copy = structuredClone(item);
      copy.paper.submittedOnDailyAt = `${day}T00:00:00.000Z`;
      return copy;
    }),
  };
}
const discord = await startFakeDiscord();
const hf = await startFakeHf({ days });
process.stdout.write(`${JSON.stringify({ token: discord.token, apiBase: discord.apiBase, hfBaseUrl: hf.baseUrl })}\n`);
const close = () => {
  void Promise.all([discord.close(), hf.close()]).then(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
TS
# `node --import tsx` (resolved from the repository) keeps the fakes one process, so one signal ends them.
(cd "$ROOT" && exec node --import tsx "$WORK/fakes.mts" "$ROOT") >"$WORK/fakes.json" 2>"$WORK/fakes.log" &
FAKES_PID=$!
for _ in $(seq 1 100); do
  [[ -s "$WORK/fakes.json" ]] && break
  kill -0 "$FAKES_PID" 2>/dev/null || { cat "$WORK/fakes.log" >&2; fail "the fakes did not start"; }
  sleep 0.2
done
[[ -s "$WORK/fakes.json" ]] || fail "the fakes did not say where they listen within 20 s"
fake() { node -e "process.stdout.write(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).$1)" "$WORK/fakes.json"; }
DISCORD_TOKEN="$(fake token)"
DISCORD_API_BASE="$(fake apiBase)"
HF_BASE_URL="$(fake hfBaseUrl)"
HTTP_PORT="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })")"
printf 'Discord %s, Hugging Face %s, HTTP_PORT %s\n' "$DISCORD_API_BASE" "$HF_BASE_URL" "$HTTP_PORT"

step "start the built entry as the image's CMD does"
(
  cd "$APP"
  exec env -i PATH="$PATH" HOME="$WORK" \
    NODE_ENV=production DATABASE_PATH="$WORK/data/paperboy.db" HTTP_PORT="$HTTP_PORT" \
    DISCORD_TOKEN="$DISCORD_TOKEN" DISCORD_API_BASE="$DISCORD_API_BASE" HF_BASE_URL="$HF_BASE_URL" \
    node --enable-source-maps dist/src/cli/bin.js start
) >"$WORK/bot.log" 2>&1 &
BOT_PID=$!

step "wait for /healthz to answer 200 (the image's HEALTHCHECK)"
# One request each, as the HEALTHCHECK makes it; exit 0 on 200, 1 otherwise.
probe() {
  node -e "fetch('http://127.0.0.1:$HTTP_PORT' + process.argv[1], { signal: AbortSignal.timeout(4000) })
    .then(async (r) => { const body = await r.text(); process.stdout.write(r.status + ' ' + (r.headers.get('content-type') ?? '') + '\n' + body.slice(0, 400) + '\n'); process.exit(r.status === 200 ? 0 : 1); })
    .catch(() => process.exit(1))" "$1"
}
deadline=$((SECONDS + HEALTH_TIMEOUT_S))
until probe /healthz >"$WORK/healthz.txt"; do
  kill -0 "$BOT_PID" 2>/dev/null || fail "the bot exited before /healthz answered 200"
  ((SECONDS < deadline)) || fail "/healthz did not answer 200 within ${HEALTH_TIMEOUT_S} s (last: $(head -c 300 "$WORK/healthz.txt"))"
  sleep 0.5
done
cat "$WORK/healthz.txt"

step "/metrics answers 200 with Prometheus text"
probe /metrics >"$WORK/metrics.txt" || fail "/metrics did not answer 200: $(head -c 300 "$WORK/metrics.txt")"
head -n 1 "$WORK/metrics.txt" | grep -q 'text/plain' || fail "/metrics is not text/plain: $(head -n 1 "$WORK/metrics.txt")"
head -n 6 "$WORK/metrics.txt"

step "the lists fetched at start are stored (better-sqlite3 from the production install at work)"
deadline=$((SECONDS + 30))
until grep -q '"msg":"list stored"' "$WORK/bot.log"; do
  ((SECONDS < deadline)) || fail "no list was stored within 30 s"
  sleep 0.5
done
grep -c '"msg":"list stored"' "$WORK/bot.log" | xargs printf '%s list day(s) stored\n'

step "SIGTERM (docker stop): a graceful shutdown, exit 0"
kill -TERM "$BOT_PID"
deadline=$((SECONDS + STOP_TIMEOUT_S))
while kill -0 "$BOT_PID" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "the bot did not exit within ${STOP_TIMEOUT_S} s of SIGTERM"
  sleep 0.2
done
status=0
wait "$BOT_PID" || status=$?
BOT_PID=""
((status == 0)) || fail "the bot exited with $status after SIGTERM"
grep -q '"msg":"stopped"' "$WORK/bot.log" || fail "the bot exited without logging that it stopped"

printf '\nOK: the runtime recipe installs, starts, answers /healthz and /metrics, and stops cleanly.\n'
