#!/usr/bin/env bash
# Installs Debian's Django, DRF, SimpleJWT, gunicorn and requests if any is missing.
# Idempotent and quick when all are present: apt-get runs only when dpkg-query finds a gap.
set -euo pipefail

packages=(
	python3-django
	python3-djangorestframework
	python3-djangorestframework-simplejwt
	gunicorn
	python3-requests
)

missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [ "$status" != "install ok installed" ]; then
		missing+=("$pkg")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi

echo "django-simplejwt: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
