# Preflight: `make site` renders the sample site into public/, `make test` runs every test.
# Both install what is missing first (libcmark-dev through apt-get on Debian).

SWIFT ?= swift
PREFLIGHT := .build/debug/preflight
SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null && echo sudo)

.PHONY: all deps build site test theme check-theme clean help

all: site

help:
	@echo "make site   build Preflight and render the sample site into public/"
	@echo "make test   run the whole test suite"
	@echo "make theme  rebuild the built-in theme after editing templates/"
	@echo "make clean  remove build output"

## Installs the system packages the build needs when they are missing.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libcmark; then \
		echo "Installing libcmark-dev and pkg-config with apt-get..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libcmark-dev pkg-config >/dev/null; \
	fi
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "error: the Swift toolchain (6.1 or later) is not on PATH; see https://swift.org/install"; exit 1; }

build: deps
	$(SWIFT) build

site: build
	$(PREFLIGHT) build .

test: deps
	$(SWIFT) test

theme:
	scripts/embed-theme

clean:
	rm -rf .build public
