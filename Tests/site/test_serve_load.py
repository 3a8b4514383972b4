"""`preflight serve` under a bounded load on 127.0.0.1 while files change:
no failed requests and no half-written pages."""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

from conftest import BINARY, REPO

PAGES = ["", "services/payments-api/", "services/checkout-web/reviews/2026-09-08/",
         "checklists/production-readiness/", "actions/"]
WORKERS = 4
REQUESTS_PER_WORKER = 150


def test_serve_keeps_answering_while_files_change():
    site = pathlib.Path(tempfile.mkdtemp(prefix="preflight-serve-"))
    for part in ("content", "catalog", "evidence", "preflight.yml", "static"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        elif source.exists():
            shutil.copy(source, site / part)
    server = subprocess.Popen([str(BINARY), "serve", str(site), "--port", "0", "--as-of", "2026-11-26"],
                              stderr=subprocess.PIPE, text=True)
    log = []
    try:
        base = None
        deadline = time.time() + 60
        while base is None and time.time() < deadline:
            line = server.stderr.readline()
            log.append(line)
            match = re.search(r"http://127\.0\.0\.1:\d+/\S*", line)
            if match:
                base = match.group(0)
        assert base, "".join(log)
        threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()

        stop = threading.Event()
        review = site / "content/services/payments-api/reviews/2026-10-20.md"
        original = review.read_text()

        def writer():
            n = 0
            while not stop.is_set():
                n += 1
                review.write_text(original.replace("Yearly review", f"Yearly review (edit {n})"))
                time.sleep(0.05)

        failures, pages_seen = [], []

        def worker(index):
            for i in range(REQUESTS_PER_WORKER):
                url = base + PAGES[(index + i) % len(PAGES)]
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        body = response.read().decode()
                        if response.status != 200 or not body.rstrip().endswith("</html>") or "</main>" not in body:
                            failures.append((url, response.status, body[-200:]))
                        pages_seen.append(url)
                except Exception as error:  # a refused or broken connection is a failure
                    failures.append((url, repr(error)))

        edit = threading.Thread(target=writer)
        edit.start()
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(timeout=120)
        stop.set()
        edit.join()

        assert failures == []
        assert len(pages_seen) == WORKERS * REQUESTS_PER_WORKER
        time.sleep(0.5)
        assert sum("Updated" in line or "Rebuilt" in line for line in log) >= 3, "".join(log)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        finally:
            if server.poll() is None:
                server.kill()
            shutil.rmtree(site, ignore_errors=True)
    assert server.returncode == 0
