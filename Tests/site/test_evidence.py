"""Machine evidence on the published sample site (issue 29): each auto check's
last result, age and source on service and review pages, auto cells marked
apart in the matrix, readiness.json format 3, and the published JSON Schema
that the sample's records satisfy."""
import json
import pathlib

import jsonschema
import pytest
from selenium.webdriver.common.by import By

from conftest import REPO, SUB_PATH


@pytest.fixture
def desktop(browser):
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)
    yield browser


def words(element):
    """An element's text as read, in lower case: states and results are shown in capitals by the stylesheet."""
    return element.text.lower()


def evidence_rows(browser):
    """The Evidence table's rows by check id."""
    rows = browser.find_elements(By.CSS_SELECTOR, "table.evidence tbody tr")
    return {row.find_element(By.CSS_SELECTOR, "th code").text: row for row in rows}


def test_service_page_shows_result_age_and_source(desktop, base_url):
    # The site is built as of 2026-11-26; the drill passed on 2026-11-24.
    desktop.get(base_url + "services/payments-api/")
    rows = evidence_rows(desktop)
    assert set(rows) == {"sec-scan", "dr-restore-drill", "doc-runbook-link"}
    drill = rows["dr-restore-drill"]
    assert "done" in words(drill) and "pass" in words(drill) and "2026-11-24" in drill.text, drill.text
    assert "2 days ago" in drill.text and "holds 30 days" in drill.text, drill.text
    link = drill.find_element(By.CSS_SELECTOR, "a")
    assert link.get_attribute("href") == "https://ci.example.org/acme/readiness/pipelines/5120"
    assert "rule: links.runbook" in rows["doc-runbook-link"].text


def test_failing_stale_and_missing_evidence_say_why(desktop, base_url):
    desktop.get(base_url + "services/auth-gateway/")
    failing = evidence_rows(desktop)["dr-restore-drill"]
    assert "open" in words(failing) and "fail" in words(failing), failing.text
    assert "restore timed out after 540 s" in failing.text
    # The review ticked it; the evidence decides, and the page says so.
    assert "the evidence decides" in failing.find_element(By.CSS_SELECTOR, ".contradicted").text
    desktop.get(base_url + "services/ledger/")
    stale = evidence_rows(desktop)["dr-restore-drill"]
    assert "expired" in words(stale) and "evidence 72 days old, needs 30" in stale.text, stale.text
    assert "no evidence yet" in evidence_rows(desktop)["sec-scan"].text
    # An unreviewed service shows what its evidence says already.
    desktop.get(base_url + "services/data-pipeline/")
    assert set(evidence_rows(desktop)) == {"sec-scan", "dr-restore-drill", "doc-runbook-link"}


def test_review_page_judges_evidence_on_its_own_day(desktop, base_url):
    # The June review is judged on 2026-06-15: the first drill ran in September.
    desktop.get(base_url + "services/payments-api/reviews/2026-06-15/")
    assert "no evidence yet" in evidence_rows(desktop)["dr-restore-drill"].text
    # The latest review, on the build date, sees the pass of 2026-11-24.
    desktop.get(base_url + "services/payments-api/reviews/2026-10-20/")
    assert "2026-11-24" in evidence_rows(desktop)["dr-restore-drill"].text
    # Checks not done say why an auto check is open.
    desktop.get(base_url + "services/auth-gateway/reviews/2026-11-02/")
    line = desktop.find_element(By.XPATH, "//li[contains(@class, 'check')][.//code[text()='dr-restore-drill']]")
    assert "failed 2026-11-24" in line.text, line.text


def test_matrix_marks_auto_cells_apart(desktop, base_url):
    desktop.get(base_url + "checklists/production-readiness/")
    auto = desktop.find_elements(By.CSS_SELECTOR, ".matrix td.cell-auto")
    plain = desktop.find_elements(By.CSS_SELECTOR, ".matrix td.cell:not(.cell-auto)")
    assert auto and plain
    rows = len(desktop.find_elements(By.CSS_SELECTOR, ".matrix tbody tr"))
    assert len(auto) == 3 * rows  # sec-scan, dr-restore-drill and doc-runbook-link
    style = lambda cell, name: desktop.execute_script(f"return getComputedStyle(arguments[0]).{name}", cell)
    assert style(auto[0], "outlineStyle") == "dotted"
    assert style(plain[0], "outlineStyle") == "none"
    hidden = auto[0].find_element(By.CSS_SELECTOR, ".visually-hidden").get_attribute("textContent")
    assert "(from evidence)" in hidden or "(by rule)" in hidden
    assert "answered by CI evidence or a rule" in desktop.find_element(By.ID, "matrix-heading").find_element(
        By.XPATH, "following-sibling::p[2]").text


def test_readiness_json_has_evidence_per_check(site_root):
    data = json.loads((site_root / SUB_PATH / "readiness.json").read_text())
    assert data["format"] == 3
    services = {s["slug"]: s for s in data["services"]}
    drill = {e["check"]: e for e in services["payments-api"]["evidence"]}["dr-restore-drill"]
    assert drill == {
        "check": "dr-restore-drill", "kind": "auto", "state": "done", "result": "pass",
        "at": "2026-11-24T03:00:00Z", "day": "2026-11-24", "age_days": 2,
        "source": "https://ci.example.org/acme/readiness/pipelines/5120", "note": "2 tests passed",
        "holds_until": "2026-12-24", "reason": None,
    }
    ledger = {e["check"]: e for e in services["ledger"]["evidence"]}["dr-restore-drill"]
    assert ledger["state"] == "expired" and ledger["reason"] == "evidence 72 days old, needs 30"
    assert all(e["state"] is None for e in services["data-pipeline"]["evidence"])


def test_published_schema_accepts_the_sample_records_and_refuses_bad_ones(site_root):
    schema = json.loads((site_root / SUB_PATH / "schema" / "evidence.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    lines = (REPO / "evidence" / "ci.jsonl").read_text().splitlines()
    assert lines
    for line in lines:
        validator.validate(json.loads(line))
    record = json.loads(lines[0])
    for bad in ({**record, "result": "passed"}, {**record, "at": "2026-11-24"}, {**record, "extra": 1},
                {k: v for k, v in record.items() if k != "source"}):
        assert not validator.is_valid(bad), bad
