#!/usr/bin/env bash
# End to end: authprobe checks the Django + SimpleJWT example with the nuxt-drf profile.
#
#   AUTHPROBE=bin/authprobe examples/django-simplejwt/e2e.sh     (make e2e-django does this)
#
# Installs Debian's packages if missing, starts the backend on a free loopback port with a
# 5 s access and 20 s refresh lifetime, lets authprobe start mockgoogle on another, and runs
# every check. Fails unless the verdicts are exactly the documented ones: every must-check
# passes, and the checks that fall short are those in expected-failures.yaml, no more and
# no fewer. Writes a JUnit report to $JUNIT_OUT (default: results.e2e-django.xml at the
# repository root). The backend is always stopped.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
authprobe=${AUTHPROBE:-$root/bin/authprobe}
junit=${JUNIT_OUT:-$root/results.e2e-django.xml}
python=/usr/bin/python3

"$here/install.sh"
if [ ! -x "$authprobe" ]; then
	echo "e2e-django: $authprobe is missing; run make build first" >&2
	exit 2
fi

state=$(mktemp -d "${TMPDIR:-/tmp}/authprobe-e2e-django.XXXXXX")
# Two free loopback ports: the backend's and mockgoogle's.
read -r backend_port google_port < <("$python" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
')

export PORT=$backend_port STATE_DIR=$state/django
export ACCESS_TTL=5 REFRESH_TTL=20
export GOOGLE_TOKEN_URL=http://127.0.0.1:$google_port/token
export GOOGLE_USERINFO_URL=http://127.0.0.1:$google_port/v1/userinfo
export GOOGLE_CLIENT_ID=authprobe-client GOOGLE_CLIENT_SECRET=authprobe-secret

cleanup() {
	"$here/run.sh" stop >/dev/null || true
	rm -rf "$state"
}
trap cleanup EXIT
"$here/run.sh" start

status=0
"$authprobe" check \
	--target "http://127.0.0.1:$backend_port" --profile nuxt-drf \
	--mockgoogle "127.0.0.1:$google_port" \
	--expect access_ttl=5s --expect refresh_ttl=20s --expect pkce=true \
	--expected-failures "$here/expected-failures.yaml" \
	--max-wait 40s --format junit --out "$junit" || status=$?
if [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; then
	"$python" "$here/verdicts.py" "$junit" "$here/expected-failures.yaml" || status=1
fi
if [ "$status" -ne 0 ]; then
	echo "e2e-django: failed (authprobe check exit status and verdicts above); the" \
		"report is $junit, the backend's log ends:" >&2
	tail -n 15 "$STATE_DIR/gunicorn.log" >&2
	exit 1
fi
