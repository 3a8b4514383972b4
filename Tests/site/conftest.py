"""Fixtures for the published-site quality checks: the sample site, built by the
real binary under a sub-path, served over 127.0.0.1 by a throwaway HTTP server."""
import functools
import http.server
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("PREFLIGHT", REPO / ".build" / "debug" / "preflight"))
SUB_PATH = "readiness"


@pytest.fixture(scope="session")
def site_root():
    """Folder served as the web root; the site lives in its `readiness/` sub-folder."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="preflight-site-"))
    output = root / SUB_PATH
    subprocess.run(
        [str(BINARY), "build", str(REPO), "--output", str(output), "--base-url", f"/{SUB_PATH}/",
         "--as-of", "2026-11-26"],
        check=True, capture_output=True, text=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url(site_root):
    """http://127.0.0.1:PORT/readiness/ — stopped when the session ends."""
    handler = functools.partial(QuietHandler, directory=str(site_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artifacts():
    """Where browser tests leave screenshots to look at: .build/site-test-screenshots."""
    folder = REPO / ".build" / "site-test-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
