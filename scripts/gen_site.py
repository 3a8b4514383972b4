#!/usr/bin/env python3
"""Writes a synthetic readiness site of N services x R reviews for benchmarks:
realistic reviews with 40 checks in 8 categories, prose, lists, code blocks,
links, a table, sign-offs and action items. The same Markdown is also written
as a Hugo site with minimal templates, so both tools read identical input.

usage: gen_site.py OUT_DIR SERVICES REVIEWS_PER_SERVICE [--hugo] [--raw-html PERCENT] [--evidence RECORDS]

--raw-html appends a block of raw HTML (<sup>, <kbd>, <details> around a
fenced block, <pre>, an image with an onerror handler) to PERCENT % of the
reviews, chosen with a fixed seed: the sanitizer's benchmark.

--evidence makes two checks of the checklist `auto` (answered by CI evidence,
at most 30 days old) and writes RECORDS evidence records for them in
evidence/ci.jsonl, spread over the services and the year before the bench's
build date, 85 % passing: the evidence benchmark. Without RECORDS the checks
are still made `auto`, with no record: the same site, without evidence.
"""
import pathlib
import random
import shutil
import sys

CATEGORIES = [
    ("Development process", "dev"), ("Testing", "test"), ("Security", "sec"), ("Deployment plan", "dep"),
    ("Monitoring", "mon"), ("Disaster recovery", "dr"), ("Documentation", "doc"), ("Stakeholder sign-off", "so"),
]
LEVELS = ["Bronze", "Silver", "Gold"]
WORDS = ("service traffic latency rollout backup restore alert dashboard owner runbook dependency "
         "queue cache database region failover capacity budget error rate timeout retry deploy "
         "canary rollback secret token audit review incident pager escalation").split()


def checks():
    result = []
    for title, prefix in CATEGORIES:
        for i in range(5):
            result.append((title, prefix, f"{prefix}-{i + 1}",
                           f"The {prefix} requirement number {i + 1} about {WORDS[(i * 7 + len(prefix)) % len(WORDS)]} is met",
                           i == 0, LEVELS[i % 3], 1 + (i % 3)))
    return result


CHECKS = checks()


def checklist():
    lines = ["---", "title: Production readiness", "description: Synthetic benchmark checklist.",
             "levels: [Bronze, Silver, Gold]", "---", "", "Answer every check.", ""]
    current = None
    for title, prefix, cid, text, required, level, weight in CHECKS:
        if title != current:
            lines += ["", f"## {title} {{#{prefix}}}", ""]
            current = title
        attrs = f"#{cid}" + (" required" if required else "") + f" level={level}" + (f" weight={weight}" if weight > 1 else "")
        lines.append(f"- [ ] {text} {{{attrs}}}")
    return "\n".join(lines) + "\n"


def sentence(rng, n=14):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def review(rng, slug, year, month):
    date = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
    decision = rng.choice(["approved", "approved-with-conditions", "rejected", "in-progress"])
    lines = ["---", f"date: {date}", f"decision: {decision}", "reviewers: [Dana Whitfield, Omar Haddad]",
             "signoffs:", "  - {role: Security, name: Priya Raman, status: approved}",
             f"  - {{role: SRE, name: Lars Nilsson, status: {rng.choice(['approved', 'pending'])}}}", "---", "",
             sentence(rng, 30), "", sentence(rng, 25) + f" See the [runbook](https://wiki.example.org/{slug}/runbook)"
             f" and the [dashboard](https://grafana.example.org/d/{slug}).", ""]
    current = None
    for title, prefix, cid, text, required, level, weight in CHECKS:
        if title != current:
            lines += ["", f"## {title}", ""]
            current = title
        box = rng.choices(["[x]", "[ ]", "[~]"], weights=[8, 2, 1])[0]
        note = ": not applicable to this service" if box == "[~]" else ""
        lines.append(f"- {box} {text}{note} {{#{cid}}}")
        if prefix == "test" and cid.endswith("-3"):
            lines += ["", "| Scenario | Target | Achieved |", "|:--|--:|--:|",
                      f"| Checkout | {rng.randint(100, 900)} | {rng.randint(900, 2000)} |",
                      f"| Search | {rng.randint(100, 900)} | {rng.randint(900, 2000)} |", ""]
        if prefix == "dep" and cid.endswith("-2"):
            lines += ["", "```sh", f"kubectl rollout undo deployment/{slug}", "kubectl rollout status deployment/" + slug, "```", ""]
    lines += ["", "Notes:", "", "- " + sentence(rng), "- " + sentence(rng), "- " + sentence(rng), "",
              "## Action items", "",
              f"- [ ] {sentence(rng, 8)} @team-{slug[-2:]} due:{year}-{min(month + 2, 12):02d}-15",
              f"- [x] {sentence(rng, 8)} @sre", ""]
    return date, "\n".join(lines) + "\n"


def write_site(out, services, per_service):
    rng = random.Random(42)
    content = out / "content"
    if out.exists():
        shutil.rmtree(out)
    (content / "checklists").mkdir(parents=True)
    (content / "checklists" / "production-readiness.md").write_text(checklist())
    (out / "preflight.yml").write_text("title: Benchmark readiness\nstale_after_days: 365\n")
    for s in range(services):
        slug = f"service-{s:05d}"
        folder = content / "services" / slug
        (folder / "reviews").mkdir(parents=True)
        (folder / "index.md").write_text(
            f"---\nname: Service {s}\nowner: team-{s % 40:02d}\ntier: \"{1 + s % 3}\"\nlifecycle: production\n"
            f"tags: [benchmark, group-{s % 7}]\n---\n\n{sentence(rng, 40)}\n")
        for r in range(per_service):
            month = 1 + (r * 5) % 12
            date, text = review(rng, slug, 2021 + r // 2, month)
            (folder / "reviews" / f"review-{r + 1:02d}.md").write_text(text)


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Benchmark readiness"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>"
                            "<body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}"
                          "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
}


def write_hugo(out, preflight_site):
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(preflight_site / "content", out / "content")
    (out / "hugo.toml").write_text(HUGO_CONFIG)
    for path, text in HUGO_LAYOUTS.items():
        (out / "layouts" / path).parent.mkdir(parents=True, exist_ok=True)
        (out / "layouts" / path).write_text(text)
    # Hugo needs a title for every page and reads `index.md` as a leaf bundle, which
    # would hide the reviews: name it `_index.md` (a branch bundle) instead.
    for index in (out / "content" / "services").glob("*/index.md"):
        index.rename(index.with_name("_index.md"))


RAW_HTML = """
Load test notes: reserved<sup>1</sup> connections, press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop.

<details>
<summary>Load generator output</summary>

```text
scenario=card-auth rps=2050 p50=41ms p99=180ms
```

</details>

<pre>{"postings": 48211907, "replica_lag_ms": 12}</pre>

<p align="center"><img src="https://example.com/chart.png" width="120" onerror="alert(1)"></p>
"""


def add_raw_html(out, percent):
    """Raw HTML in `percent` % of the reviews, before one of their sections
    chosen at random: the sanitizer parses a document from its first raw
    HTML on, so where the HTML sits matters, and the end would flatter it."""
    reviews = sorted((out / "content" / "services").glob("*/reviews/*.md"))
    rng = random.Random(11)
    for path in rng.sample(reviews, int(len(reviews) * percent / 100)):
        text = path.read_text()
        sections = [i for i in range(len(text)) if text.startswith("\n## ", i)]
        at = rng.choice(sections) if sections else len(text)
        path.write_text(text[:at] + RAW_HTML + text[at:])


AUTO_CHECKS = ("test-4", "sec-2")


def add_evidence(out, records):
    """Makes AUTO_CHECKS `auto every=30` and writes `records` evidence records
    for them (none when 0), over the services and 2025-11-26 to 2026-11-26."""
    checklist_path = out / "content" / "checklists" / "production-readiness.md"
    text = checklist_path.read_text()
    for cid in AUTO_CHECKS:
        text = text.replace(f"{{#{cid} ", f"{{#{cid} auto every=30 ")
    checklist_path.write_text(text)
    slugs = sorted(p.name for p in (out / "content" / "services").iterdir())
    rng = random.Random(29)
    lines = []
    for n in range(records):
        day = 1 + rng.randrange(365)
        month, rest = divmod(day, 28)
        year = 2025 if month < 1 else 2026
        month = 11 if month < 1 else min(month, 11)
        lines.append(
            f'{{"service": "{slugs[n % len(slugs)]}", "check": "{AUTO_CHECKS[n % 2]}", '
            f'"result": "{"pass" if rng.random() < 0.85 else "fail"}", '
            f'"at": "{year}-{month:02d}-{1 + rest % 28:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z", '
            f'"source": "https://ci.example.org/runs/{100000 + n}", "note": "{rng.randrange(1, 40)} tests passed"}}')
    if lines:
        (out / "evidence").mkdir(exist_ok=True)
        (out / "evidence" / "ci.jsonl").write_text("\n".join(lines) + "\n")


def main():
    out, services, per_service = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    write_site(out, services, per_service)
    if "--raw-html" in sys.argv:
        add_raw_html(out, float(sys.argv[sys.argv.index("--raw-html") + 1]))
    if "--evidence" in sys.argv:
        add_evidence(out, int(sys.argv[sys.argv.index("--evidence") + 1]))
    if "--hugo" in sys.argv:
        write_hugo(out.with_name(out.name + "-hugo"), out)


if __name__ == "__main__":
    main()
