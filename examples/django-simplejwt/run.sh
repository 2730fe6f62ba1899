#!/usr/bin/env bash
# Starts or stops the example backend: gunicorn (gthread workers) on 127.0.0.1:$PORT.
#
#   ./run.sh start   migrate, start gunicorn in the background, wait until it answers
#   ./run.sh stop    stop it by the process id in the pid file
#
# Environment: PORT (default 8000), STATE_DIR (pid file, log, SQLite file, secret key;
# default $TMPDIR/authprobe-django-$PORT), and the backend's settings (ACCESS_TTL,
# REFRESH_TTL, GOOGLE_TOKEN_URL, GOOGLE_USERINFO_URL, GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET,
# GOOGLE_REDIRECT_URI; see backend/settings.py). Uses Debian's python3 and gunicorn.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
gunicorn=/usr/bin/gunicorn

PORT=${PORT:-8000}
STATE_DIR=${STATE_DIR:-${TMPDIR:-/tmp}/authprobe-django-$PORT}
pidfile=$STATE_DIR/gunicorn.pid
logfile=$STATE_DIR/gunicorn.log

start() {
	if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		echo "django-simplejwt: already running, pid $(cat "$pidfile")" >&2
		exit 1
	fi
	mkdir -p "$STATE_DIR"
	if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
		if [ ! -s "$STATE_DIR/secret_key" ]; then
			(umask 077 && "$python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
				>"$STATE_DIR/secret_key")
		fi
		DJANGO_SECRET_KEY=$(cat "$STATE_DIR/secret_key")
	fi
	export DJANGO_SECRET_KEY
	export DJANGO_DB_PATH=${DJANGO_DB_PATH:-$STATE_DIR/db.sqlite3}
	export DJANGO_SETTINGS_MODULE=backend.settings

	cd "$here"
	"$python" manage.py migrate --noinput -v 0

	# Idle connections stay open 75 s, as behind nginx. With gunicorn's 2 s default, a
	# client reusing a connection just as gunicorn closes it gets EOF on a POST, which
	# HTTP clients do not retry.
	"$gunicorn" backend.wsgi:application \
		--bind "127.0.0.1:$PORT" \
		--worker-class gthread --workers 2 --threads 8 \
		--graceful-timeout 5 --keep-alive 75 \
		--access-logfile "$logfile" --error-logfile "$logfile" \
		</dev/null >>"$logfile" 2>&1 &
	echo $! >"$pidfile"

	# Wait until it answers (the user endpoint says 401 without a token), at most 20 s.
	for _ in $(seq 100); do
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			echo "django-simplejwt: gunicorn exited; last lines of $logfile:" >&2
			tail -n 20 "$logfile" >&2
			rm -f "$pidfile"
			exit 1
		fi
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 \
			"http://127.0.0.1:$PORT/auth/user/" || true)
		if [ "$code" = 401 ]; then
			echo "django-simplejwt: listening on http://127.0.0.1:$PORT, pid $(cat "$pidfile")"
			return 0
		fi
		sleep 0.2
	done
	echo "django-simplejwt: no answer on 127.0.0.1:$PORT after 20 s; see $logfile" >&2
	stop
	exit 1
}

stop() {
	if [ ! -s "$pidfile" ]; then
		echo "django-simplejwt: not running (no $pidfile)" >&2
		return 0
	fi
	pid=$(cat "$pidfile")
	if kill -TERM "$pid" 2>/dev/null; then
		# gunicorn's master stops its workers and exits; give it 10 s, then insist.
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$pidfile"
	echo "django-simplejwt: stopped pid $pid"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
