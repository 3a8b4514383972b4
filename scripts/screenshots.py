#!/usr/bin/env python3
"""Screenshots of the sample site for docs/: the dashboard, service, review,
action items, campaign, teams and checklist pages, on a laptop-sized window and on a
phone (390 px wide, as a phone reports itself), in light and dark colours.
Run with `make screenshots`."""
import base64
import functools
import http.server
import pathlib
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService

REPO = pathlib.Path(__file__).resolve().parents[1]
PAGES = [
    ("dashboard", ""),
    ("service", "services/auth-gateway/"),
    ("review", "services/checkout-web/reviews/2026-09-08/"),
    ("actions", "actions/"),
    ("campaign", "campaigns/tier1-silver/"),
    ("teams", "teams/"),
    ("checklist", "checklists/production-readiness/"),
]
# (file suffix, width, height, mobile)
DEVICES = [("", 1280, 900, False), ("phone-", 390, 844, True)]
SCHEMES = ["light", "dark"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=ChromeService(executable_path="/usr/bin/chromedriver"), options=options)


def shoot(driver, url, width, height, mobile, scheme, path):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    driver.get(url)
    full = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": max(height, full), "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))


def main():
    handler = functools.partial(Quiet, directory=str(REPO / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    driver = browser()
    try:
        for name, page in PAGES:
            for prefix, width, height, mobile in DEVICES:
                for scheme in SCHEMES:
                    file = f"{prefix}{name}{'-dark' if scheme == 'dark' else ''}.png"
                    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
                    shoot(driver, url, width, height, mobile, scheme, out / file)
                    print(f"wrote docs/screenshots/{file}")
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
