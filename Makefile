# Targets are a line or two each; see README.md for what they are for.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build test bench bench-load lint fmt run ci e2e-django

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/authprobe ./cmd/authprobe

test:
	$(GO) test -race ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 2s ./...

# bench-load prints the load mode's figures on this machine: refserver rotations/s and p99
# (in memory and on WAL), the generator's CPU per request next to plain vegeta's, and the
# memory of 100,000 sessions; see scenarios/load/bench_test.go.
bench-load:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./scenarios/load/

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

run:
	$(GO) run ./cmd/authprobe check

# ci is what .ci/run runs on a clean clone: everything a submission must pass.
ci: lint test e2e-django

# e2e-django checks the Django REST Framework + SimpleJWT example with authprobe (installs
# Debian's packages if missing); see examples/django-simplejwt/e2e.sh.
e2e-django: build
	examples/django-simplejwt/e2e.sh
