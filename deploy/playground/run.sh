#!/usr/bin/env bash
# Serve the bot (development mode) and the Microsoft 365 Agents Playground next to it; stop both on Ctrl-C.
#
#   deploy/playground/run.sh                  # until Ctrl-C; open the printed Playground URL in a browser
#   deploy/playground/run.sh CMD [ARG ...]    # run CMD once both are up (PLAYGROUND_URL is set), then stop both
#
# Called by `make playground` and `make screenshots`, after `npm ci` in this folder. Environment: PORT (the bot,
# 3978), PLAYGROUND_PORT (56150; the Playground takes a free one if it is taken), ORG (a pack for the bot),
# FRESH_DB=1 (an empty database of its own instead of DATABASE_URL, removed afterwards),
# TEAMSAPPTESTER_BROWSER=none to keep the Playground from opening a browser itself.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bot_port="${PORT:-3978}"
playground_port="${PLAYGROUND_PORT:-56150}"
endpoint="http://localhost:${bot_port}/api/messages"
work="$(mktemp -d "${TMPDIR:-/tmp}/integriteitsbot-playground.XXXXXX")"
bot_pid=""
playground_pid=""

alive() {
    [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null
}

# After Ctrl-C (which reaches the whole process group) give each a moment to stop by itself; then TERM, then KILL.
stop() {
    trap - EXIT INT TERM
    set +e
    local pid _
    for pid in "$playground_pid" "$bot_pid"; do
        if [[ "$interrupted" == 1 ]]; then
            for _ in 1 2 3 4; do alive "$pid" && sleep 0.5; done
        fi
        alive "$pid" && kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 20); do alive "$pid" && sleep 0.5; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null
    done
    rm -rf "$work"
}
interrupted=0
trap stop EXIT
trap 'interrupted=1; exit 130' INT
trap 'exit 143' TERM

if [[ ! -x "$here/node_modules/.bin/agentsplayground" ]]; then
    echo "The Playground is not installed: run 'make playground' (or 'npm ci' in $here)." >&2
    exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$bot_port") 2>/dev/null; then
    echo "Port $bot_port is in use (is 'make run' still running?). Stop it or set PORT." >&2
    exit 1
fi

if [[ "${FRESH_DB:-}" == 1 ]]; then
    export DATABASE_URL="sqlite+aiosqlite:///$work/integriteitsbot.db"
fi
# The Playground does not authenticate, so the bot runs in development mode (asked for explicitly, and loud in its
# log) whatever .env or the shell says.
echo "Starting the bot on port $bot_port (development mode) ..."
MicrosoftAppId="" MicrosoftAppPassword="" INTEGRITEITSBOT_DEV=1 PORT="$bot_port" \
    "$root/.venv/bin/integriteitsbot" serve --dev ${ORG:+--org "$ORG"} &
bot_pid=$!
for _ in $(seq 1 120); do
    if ! kill -0 "$bot_pid" 2>/dev/null; then
        echo "The bot stopped during start-up; see the lines above." >&2
        exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$bot_port") 2>/dev/null; then
        break
    fi
    sleep 0.5
done

# The Playground reads .m365agentsplayground.yml (the mock Teams users and team) from its working directory.
echo "Starting the Microsoft 365 Agents Playground ..."
: > "$work/playground.out"
(
    cd "$here"
    exec env M365_AGENTS_PLAYGROUND_LOGFILE="$work/playground.log" \
        node_modules/.bin/agentsplayground -e "$endpoint" -c msteams -p "$playground_port" --disable-telemetry
) > >(tee "$work/playground.out") 2>&1 &
playground_pid=$!
url=""
for _ in $(seq 1 120); do
    if ! kill -0 "$playground_pid" 2>/dev/null; then
        echo "The Playground stopped during start-up; see the lines above." >&2
        exit 1
    fi
    port="$(sed -n 's/.*Listening on \([0-9][0-9]*\).*/\1/p' "$work/playground.out" 2>/dev/null | head -n 1)"
    if [[ -n "$port" ]]; then
        url="http://localhost:$port"
        break
    fi
    sleep 0.5
done
if [[ -z "$url" ]]; then
    echo "The Playground did not start within a minute." >&2
    exit 1
fi

if [[ $# -gt 0 ]]; then
    PLAYGROUND_URL="$url" "$@"
    exit $?
fi

echo
echo "  Bot:        $endpoint (development mode)"
echo "  Playground: $url  <- open this in your browser"
echo "  Ctrl-C stops both."
echo
# Until Ctrl-C, or until either of them stops on its own.
wait -n "$bot_pid" "$playground_pid" || true
if [[ "$interrupted" == 0 ]]; then
    echo "One of the two stopped; stopping the other." >&2
    exit 1
fi
