"""The sample site in headless Chromium: no console errors, search works,
no serious or critical accessibility violations (axe-core)."""
import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

PAGES = {
    "dashboard": "",
    "service": "services/payments-api/",
    "review": "services/payments-api/reviews/2026-10-20/",
    "checklist": "checklists/production-readiness/",
    "actions": "actions/",
    "team": "teams/payments/",
    # Targets, the ladder, "to reach", expiring and expired waivers and answers.
    "service-below-target": "services/auth-gateway/",
    "review-with-expiry": "services/checkout-web/reviews/2026-09-08/",
    # The organisation view: campaigns (overdue and done), teams and heat map.
    "campaigns": "campaigns/",
    "campaign-overdue": "campaigns/tier1-silver/",
    "campaign-done": "campaigns/secrets-in-store/",
    "teams": "teams/",
    "review-with-changes": "services/payments-api/reviews/2026-06-15/",
    # An owner of action items who owns no service; a free page.
    "assignee": "teams/reporting-leads/",
    "page": "pages/process/",
    # Evidence: failing (auth-gateway, above), stale, and an unreviewed service's.
    "service-stale-evidence": "services/ledger/",
    "service-unreviewed-evidence": "services/data-pipeline/",
    "not-found": "404.html",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_loads_without_console_errors(browser, base_url, name):
    browser.get(base_url + PAGES[name])
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert browser.find_element(By.TAG_NAME, "h1").text
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violations(browser, base_url, name):
    browser.get(base_url + PAGES[name])
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], axe.report(serious)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_passes_axe_in_dark_mode(browser, base_url, name):
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        browser.get(base_url + PAGES[name])
        assert browser.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
        axe = Axe(browser)
        axe.inject()
        results = axe.run()
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        assert serious == [], axe.report(serious)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_search_finds_a_service(browser, base_url):
    browser.get(base_url + PAGES["checklist"])
    box = browser.find_element(By.ID, "search-input")
    box.send_keys("payments")
    link = WebDriverWait(browser, 10).until(expected_conditions.visibility_of_element_located(
        (By.CSS_SELECTOR, "#search-results a[href$='services/payments-api/']")))
    assert link.text == "Payments API"
    link.click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("services/payments-api/"))


def test_dashboard_filters_and_sorts(browser, base_url):
    browser.get(base_url)
    status = browser.find_element(By.NAME, "status")
    status.find_element(By.CSS_SELECTOR, "option[value='not-ready']").click()
    visible = [row for row in browser.find_elements(By.CSS_SELECTOR, "#services tbody tr") if row.is_displayed()]
    assert visible and all(row.get_attribute("data-status") == "not-ready" for row in visible)
    status.find_element(By.CSS_SELECTOR, "option[value='']").click()
    score = "#services thead th:nth-child(3) button"
    assert browser.find_element(By.CSS_SELECTOR, score).text == "Score"
    browser.find_element(By.CSS_SELECTOR, score).click()
    browser.find_element(By.CSS_SELECTOR, score).click()
    first = browser.find_element(By.CSS_SELECTOR, "#services tbody tr > :nth-child(3)")
    assert first.get_attribute("data-sort") == "100"


def test_dashboard_below_target_filter(browser, base_url):
    browser.get(base_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#services tbody tr")
    below = [row for row in rows if row.get_attribute("data-below-target") == "yes"]
    assert below and len(below) < len(rows)
    browser.find_element(By.NAME, "below").click()
    visible = [row for row in rows if row.is_displayed()]
    assert visible == below
    assert browser.find_element(By.ID, "filter-count").text == f"{len(below)} of {len(rows)} shown"
    browser.find_element(By.NAME, "below").click()
    assert all(row.is_displayed() for row in rows)
