#!/usr/bin/env python3
"""`make bench`: Preflight against Hugo on the same synthetic Markdown, on this machine.

- full build of 2,000 services x 5 reviews, Preflight and Hugo alternately,
  RUNS times each: median wall time, the ratio, and peak memory (max RSS);
- Preflight's build time at 1k, 5k, 10k and 20k reviews (linear growth?);
- `preflight serve`: a one-review edit, from the file write to the page
  being served with the new text.

Results are printed and written to .bench/results.md.
"""
import argparse
import os
import pathlib
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[1]
BENCH = REPO / ".bench"
PREFLIGHT = REPO / ".build" / "release" / "preflight"
# Both tools write their output to memory when the machine has a tmpfs: on a VM
# disk, writeback of 12,000 small files swings by seconds between runs and
# measures the disk, not the tools. --on-disk writes under .bench/ instead.
OUTPUT_ROOT = pathlib.Path("/dev/shm/preflight-bench") if pathlib.Path("/dev/shm").is_dir() else BENCH
sys.path.insert(0, str(REPO / "scripts"))
import gen_site  # noqa: E402


def timed(command, cwd=None):
    """Wall seconds and peak RSS (MiB) of one command, via GNU time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + command, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    wall, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def site(services, reviews, hugo=False):
    path = BENCH / f"site-{services}x{reviews}"
    if not (path / "preflight.yml").exists() or (hugo and not path.with_name(path.name + "-hugo").exists()):
        print(f"generating {services} services x {reviews} reviews ...", flush=True)
        gen_site.write_site(path, services, reviews)
        gen_site.write_hugo(path.with_name(path.name + "-hugo"), path)
    return path


def preflight_build(path):
    out = OUTPUT_ROOT / "out-preflight"
    shutil.rmtree(out, ignore_errors=True)
    return timed([str(PREFLIGHT), "build", str(path), "--output", str(out), "--as-of", "2026-11-26"])


def hugo_build(path):
    out = OUTPUT_ROOT / "out-hugo"
    shutil.rmtree(out, ignore_errors=True)
    return timed(["hugo", "--quiet", "--source", str(path.with_name(path.name + "-hugo")), "--destination", str(out)])


def serve_edit_latency(path, edits):
    """Milliseconds from writing a review to the page being served with the edit."""
    server = subprocess.Popen([str(PREFLIGHT), "serve", str(path), "--port", "0", "--as-of", "2026-11-26"],
                              stderr=subprocess.PIPE, text=True)
    try:
        base = None
        while base is None:
            line = server.stderr.readline()
            if not line:
                sys.exit("serve did not start")
            match = re.search(r"http://127\.0\.0\.1:\d+/\S*", line)
            base = match.group(0) if match else None
        review = path / "content/services/service-00007/reviews/review-03.md"
        url = base + "services/service-00007/reviews/review-03/"
        original = review.read_text()
        urllib.request.urlopen(url).read()
        latencies = []
        for n in range(edits):
            token = f"edit-token-{n}-{time.time_ns()}"
            start = time.perf_counter()
            review.write_text(original.replace("Notes:", f"Notes ({token}):"))
            while token not in urllib.request.urlopen(url).read().decode():
                time.sleep(0.002)
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.2)
        review.write_text(original)
        return latencies
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def machine():
    cpu = "unknown CPU"
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", pathlib.Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, {platform.platform()}; {swift}; {hugo}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each tool in the comparison")
    parser.add_argument("--quick", action="store_true", help="smaller sites and fewer runs (a smoke test)")
    parser.add_argument("--on-disk", action="store_true", help="write outputs under .bench/, not to /dev/shm")
    args = parser.parse_args()
    global OUTPUT_ROOT
    if args.on_disk:
        OUTPUT_ROOT = BENCH
    OUTPUT_ROOT.mkdir(parents=True, exist_ok=True)
    BENCH.mkdir(exist_ok=True)
    scale = 10 if args.quick else 1
    runs = 2 if args.quick else args.runs
    lines = [f"Machine: {machine()}", f"Outputs written to: {OUTPUT_ROOT}", ""]

    main_site = site(2000 // scale, 5, hugo=True)
    print(f"comparison on {main_site.name}, {runs} runs each, alternating ...", flush=True)
    preflight_build(main_site)  # warm the file cache for both
    hugo_build(main_site)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(preflight_build(main_site))
        theirs.append(hugo_build(main_site))
    p_wall = statistics.median(w for w, _ in ours)
    h_wall = statistics.median(w for w, _ in theirs)
    p_rss = max(r for _, r in ours)
    h_rss = max(r for _, r in theirs)
    lines += [f"Full build, {2000 // scale} services x 5 reviews ({10000 // scale} reviews), median of {runs}:", "",
              "| tool | wall time (median) | runs | peak memory |", "|---|---:|---|---:|",
              f"| Preflight | {p_wall:.2f} s | {', '.join(f'{w:.2f}' for w, _ in ours)} | {p_rss:.0f} MiB |",
              f"| Hugo | {h_wall:.2f} s | {', '.join(f'{w:.2f}' for w, _ in theirs)} | {h_rss:.0f} MiB |",
              f"| ratio Preflight / Hugo | **{p_wall / h_wall:.2f}** | | {p_rss / h_rss:.2f} |", ""]

    lines += ["Preflight build time by site size (median of 3):", "",
              "| reviews | services | wall time | per 1,000 reviews | peak memory |", "|---:|---:|---:|---:|---:|"]
    for services in (200, 1000, 2000, 4000):
        services //= scale
        path = site(services, 5)
        results = [preflight_build(path) for _ in range(3)]
        wall = statistics.median(w for w, _ in results)
        rss = max(r for _, r in results)
        lines.append(f"| {services * 5} | {services} | {wall:.2f} s | {wall / (services * 5) * 1000:.2f} s | {rss:.0f} MiB |")
    lines.append("")

    latencies = serve_edit_latency(main_site, 5 if args.quick else 15)
    lines += [f"`preflight serve` on the {2000 // scale} x 5 site, one-review edit until the page is served anew:", "",
              f"median {statistics.median(latencies):.0f} ms, max {max(latencies):.0f} ms over {len(latencies)} edits "
              f"({', '.join(f'{l:.0f}' for l in latencies)} ms)", ""]

    shutil.rmtree(OUTPUT_ROOT / "out-preflight", ignore_errors=True)
    shutil.rmtree(OUTPUT_ROOT / "out-hugo", ignore_errors=True)
    text = "\n".join(lines)
    print("\n" + text)
    (BENCH / "results.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
