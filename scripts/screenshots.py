#!/usr/bin/env python3
"""Screenshots of the sample site for docs/: the dashboard, service, review,
campaign and teams pages, on a laptop-sized and a phone-sized window. Run with `make screenshots`."""
import functools
import http.server
import pathlib
import subprocess
import threading

REPO = pathlib.Path(__file__).resolve().parents[1]
SHOTS = [
    ("dashboard.png", "", "1280,900"),
    ("service.png", "services/auth-gateway/", "1280,1500"),
    ("review.png", "services/checkout-web/reviews/2026-09-08/", "1280,2600"),
    ("phone-service.png", "services/checkout-web/", "390,1400"),
    ("campaign.png", "campaigns/tier1-silver/", "1280,1400"),
    ("teams.png", "teams/", "1280,1100"),
]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    handler = functools.partial(Quiet, directory=str(REPO / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    try:
        for name, path, size in SHOTS:
            url = f"http://127.0.0.1:{server.server_address[1]}/{path}"
            subprocess.run(
                ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 f"--window-size={size}", f"--screenshot={out / name}", url],
                check=True, capture_output=True)
            print(f"wrote docs/screenshots/{name}")
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
