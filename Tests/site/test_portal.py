"""The portal as an engineering manager uses it (issue 15): sorting, the phone
layout, meters coloured by value, dark form controls, readable action items,
filters kept in the URL, and search that finds owners, statuses and prose."""
import functools
import http.server
import re
import shutil
import subprocess
import tempfile
import threading
import pathlib

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

import png
from conftest import BINARY, REPO, QuietHandler

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
LADDER = ["Bronze", "Silver", "Gold"]  # the sample checklist's levels, lowest first


def rows(browser):
    return [row for row in browser.find_elements(By.CSS_SELECTOR, "#services tbody tr") if row.is_displayed()]


def sort_by(browser, column, ascending):
    header = browser.find_elements(By.CSS_SELECTOR, "#services thead th")[column]
    button = header.find_element(By.CSS_SELECTOR, "button.sort")
    want = "ascending" if ascending else "descending"
    for _ in range(2):
        if header.get_attribute("aria-sort") == want:
            break
        button.click()
    assert header.get_attribute("aria-sort") == want


def cell_values(browser, column):
    return [row.find_elements(By.CSS_SELECTOR, ":scope > th, :scope > td")[column].get_attribute("data-sort")
            for row in rows(browser)]


def in_order(values, ascending):
    """Empty values last; numbers as numbers, the rest (names, ISO dates) as text in any case."""
    filled = [v for v in values if v != ""]
    assert values[len(filled):] == [""] * (len(values) - len(filled)), values
    if all(NUMBER.match(v) for v in filled):
        keys = [float(v) for v in filled]
    else:
        keys = [v.lower() for v in filled]
    return keys == sorted(keys, reverse=not ascending)


@pytest.fixture
def desktop(browser):
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)
    yield browser


@pytest.fixture
def phone(browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def dark(browser):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    yield browser
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


# 1. Sorting

def test_every_dashboard_column_sorts_both_ways(desktop, base_url):
    desktop.get(base_url)
    headers = desktop.find_elements(By.CSS_SELECTOR, "#services thead th")
    assert len(headers) == 9
    for column in range(len(headers)):
        for ascending in (True, False):
            sort_by(desktop, column, ascending)
            values = cell_values(desktop, column)
            assert in_order(values, ascending), (headers[column].text, ascending, values)


def test_last_review_sorts_by_date_not_by_year(desktop, base_url):
    desktop.get(base_url)
    sort_by(desktop, 8, True)
    dates = [value for value in cell_values(desktop, 8) if value]
    assert len(set(d[:4] for d in dates)) > 1, "the sample should span years"
    assert dates == sorted(dates)
    assert any(a[:4] == b[:4] for a, b in zip(dates, dates[1:])), "same-year dates must be ordered too"


def test_level_sorts_by_the_ladder(desktop, base_url):
    desktop.get(base_url)
    sort_by(desktop, 3, True)
    levels = [row.find_elements(By.CSS_SELECTOR, ":scope > td")[2].text for row in rows(desktop)]
    named = [level for level in levels if level in LADDER]
    assert len(set(named)) == 3
    assert named == sorted(named, key=LADDER.index), levels
    sort_by(desktop, 3, False)
    levels = [row.find_elements(By.CSS_SELECTOR, ":scope > td")[2].text for row in rows(desktop)]
    named = [level for level in levels if level in LADDER]
    assert named == sorted(named, key=LADDER.index, reverse=True), levels


def test_names_sort_without_regard_to_case(desktop, base_url):
    desktop.get(base_url)
    sort_by(desktop, 0, True)
    names = [row.find_element(By.CSS_SELECTOR, ":scope > th").text for row in rows(desktop)]
    assert any(n[0].islower() for n in names) and any(n[0].isupper() for n in names), names
    assert names == sorted(names, key=str.lower), names


def test_teams_index_sorts_numbers_as_numbers(desktop, base_url):
    desktop.get(base_url + "teams/")
    table = desktop.find_element(By.CSS_SELECTOR, "table.sortable")
    button = table.find_elements(By.CSS_SELECTOR, "thead th button.sort")[5]  # average score
    button.click()
    values = [row.find_elements(By.CSS_SELECTOR, ":scope > th, :scope > td")[5].get_attribute("data-sort")
              for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert [float(v) for v in values] == sorted(float(v) for v in values)


# 2. The phone layout

def visible_in_viewport(browser, element):
    rect = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.width];",
                                  element)
    width = browser.execute_script("return document.documentElement.clientWidth")
    return rect[2] > 0 and rect[0] >= 0 and rect[1] <= width


@pytest.mark.parametrize("page", ["", "teams/payments/"])
def test_phone_shows_status_and_score_without_scrolling_sideways(phone, base_url, page, artifacts):
    phone.get(base_url + page)
    width = phone.execute_script("return document.documentElement.clientWidth")
    assert width <= 400
    assert phone.execute_script("return document.documentElement.scrollWidth") <= width
    table_rows = phone.find_elements(By.CSS_SELECTOR, "table.services tbody tr")
    assert table_rows
    for row in table_rows:
        status = row.find_element(By.CSS_SELECTOR, ".col-status .status")
        score = row.find_element(By.CSS_SELECTOR, ".col-score")
        assert visible_in_viewport(phone, status), row.text
        assert visible_in_viewport(phone, score), row.text
        # The badge is whole: its text is not cut ("Rea").
        assert phone.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth + 1", status)
    phone.execute_script("window.scrollTo(0, 0)")
    path = artifacts / f"phone-{page.strip('/').replace('/', '-') or 'dashboard'}.png"
    path.write_bytes(phone.get_screenshot_as_png())


def test_phone_count_links_show_the_filtered_table(phone, base_url):
    phone.get(base_url)
    phone.find_element(By.CSS_SELECTOR, ".status-counts a[data-value='not-ready']").click()
    top = phone.execute_script("return document.getElementById('services-heading').getBoundingClientRect().top")
    assert 0 <= top < 844, top


def test_phone_search_results_fit_the_screen(phone, base_url):
    phone.get(base_url)
    box = phone.find_element(By.ID, "search-input")
    box.send_keys("e")
    results = WebDriverWait(phone, 10).until(expected_conditions.visibility_of_element_located((By.ID, "search-results")))
    rect = phone.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.bottom];",
                                results)
    assert rect[0] >= 0 and rect[1] <= 390 and rect[2] <= 844, rect
    assert "add a word" in results.text


def test_phone_service_page_starts_with_readiness(phone, base_url):
    phone.get(base_url + "services/checkout-web/")
    top = phone.execute_script("return document.getElementById('readiness-heading').getBoundingClientRect().top")
    assert top < 400, top
    status = phone.find_element(By.CSS_SELECTOR, ".readiness .status-line .status")
    assert visible_in_viewport(phone, status)


def test_phone_navigation_stays_short(phone, base_url):
    phone.get(base_url)
    height = phone.execute_script("return document.querySelector('.site-header nav').getBoundingClientRect().height")
    assert height < 120, height


@pytest.fixture(scope="module")
def crowded_url():
    """The sample site with 14 free pages and 4 more checklists, served."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="preflight-crowded-"))
    site = work / "site"
    for folder in ("content", "catalog", "evidence"):
        shutil.copytree(REPO / folder, site / folder)
    shutil.copy(REPO / "preflight.yml", site / "preflight.yml")
    checklist = (site / "content/checklists/production-readiness.md").read_text()
    for i in range(1, 15):
        (site / f"content/pages/guide-{i}.md").write_text(f"---\ntitle: Guide number {i}\n---\n\nText.\n")
    for i in range(1, 5):
        (site / f"content/checklists/extra-{i}.md").write_text(
            checklist.replace("title: Production readiness", f"title: Extra checklist {i}", 1))
    subprocess.run([str(BINARY), "build", str(site), "--output", str(work / "out"), "--as-of", "2026-11-26"],
                   check=True, capture_output=True, text=True)
    handler = functools.partial(QuietHandler, directory=str(work / "out"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    shutil.rmtree(work, ignore_errors=True)


def test_many_pages_fold_into_menus(phone, crowded_url):
    phone.get(crowded_url)
    nav = phone.find_element(By.CSS_SELECTOR, ".site-header nav")
    assert nav.size["height"] < 120, nav.size
    menus = nav.find_elements(By.CSS_SELECTOR, "details.nav-menu")
    assert [m.find_element(By.TAG_NAME, "summary").text for m in menus] == ["Checklists", "Pages"]
    menus[1].find_element(By.TAG_NAME, "summary").click()
    links = menus[1].find_elements(By.CSS_SELECTOR, "ul a")
    assert len(links) == 15  # the sample's own page and the 14 guides
    rect = phone.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];",
                                menus[1].find_element(By.TAG_NAME, "ul"))
    assert rect[0] >= 0 and rect[1] <= 390, rect
    links[-1].click()
    WebDriverWait(phone, 10).until(expected_conditions.url_contains("pages/"))


def test_dates_never_break_at_a_hyphen(phone, base_url):
    for page in ("", "actions/", "services/checkout-web/reviews/2026-09-08/"):
        phone.get(base_url + page)
        times = phone.find_elements(By.TAG_NAME, "time")
        assert times
        for element in times:
            if element.is_displayed():
                lines = phone.execute_script("return arguments[0].getClientRects().length", element)
                assert lines == 1, (page, element.text)


# 3. Meters and colour schemes

def test_meters_are_coloured_by_value(desktop, base_url):
    desktop.get(base_url)
    meters = desktop.find_elements(By.CSS_SELECTOR, "#services meter")
    assert meters
    for meter in meters:
        assert (meter.get_attribute("low"), meter.get_attribute("high"), meter.get_attribute("optimum")) == (
            "50", "80", "100")
    colours = {}
    for meter in meters:
        value = float(meter.get_attribute("value"))
        width, height, picture = png.pixels(meter.screenshot_as_png)
        # The bar's colour where it is filled: a pixel near its start, mid-height.
        colours[value] = picture[height // 2][2]
    low = [c for v, c in colours.items() if v < 50]
    mid = [c for v, c in colours.items() if 50 <= v < 80]
    high = [c for v, c in colours.items() if v >= 80]
    assert low and mid and high, colours
    def greenish(c): return c[1] > c[0] + 30 and c[1] > c[2]
    def reddish(c): return c[0] > c[1] + 60
    assert all(greenish(c) for c in high), high
    assert not any(greenish(c) for c in low + mid), (low, mid)
    assert all(reddish(c) for c in low), low


def luminance(css):
    r, g, b = [int(x) for x in re.findall(r"\d+", css)[:3]]
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_form_controls_follow_dark_mode(desktop, dark, base_url):
    desktop.get(base_url)
    assert desktop.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    for selector in ("select[name=status]", "#search-input", "input[name=stale]"):
        element = desktop.find_element(By.CSS_SELECTOR, selector)
        style = desktop.execute_script(
            "const s = getComputedStyle(arguments[0]); return [s.colorScheme, s.backgroundColor, s.color];", element)
        assert "dark" in style[0], (selector, style)
        if selector != "input[name=stale]":
            assert luminance(style[1]) < 0.3, (selector, style)
            assert luminance(style[2]) > 0.6, (selector, style)
    # The checkbox is drawn dark too: its middle is not white.
    box = desktop.find_element(By.CSS_SELECTOR, "input[name=stale]")
    width, height, picture = png.pixels(box.screenshot_as_png)
    r, g, b = picture[height // 2][width // 2]
    assert (r + g + b) / 3 < 200, (r, g, b)


# 4. Action items

RAW_TAG = re.compile(r"(^|\s)@[\w.-]+|due:\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize("page", ["actions/", "teams/storefront/", "services/checkout-web/",
                                  "services/checkout-web/reviews/2026-09-08/"])
def test_action_items_show_no_raw_tags(desktop, base_url, page):
    desktop.get(base_url + page)
    items = desktop.find_elements(By.CSS_SELECTOR, "ul.actions > li")
    assert items
    for item in items:
        text = item.find_element(By.CSS_SELECTOR, ".action-text").text
        assert text and not RAW_TAG.search(text), text
        owner = item.find_elements(By.CSS_SELECTOR, ".action-owner a")
        assert owner, item.text
        assert "/teams/" in owner[0].get_attribute("href")


def test_an_owner_of_action_items_only_has_a_page(desktop, base_url):
    desktop.get(base_url + "actions/")
    link = desktop.find_element(By.CSS_SELECTOR, ".action-owner a[href$='teams/reporting-leads/']")
    link.click()
    WebDriverWait(desktop, 10).until(expected_conditions.url_contains("teams/reporting-leads/"))
    assert desktop.find_element(By.TAG_NAME, "h1").text == "reporting-leads"
    assert desktop.find_elements(By.CSS_SELECTOR, "ul.actions > li")


def test_overdue_item_is_flagged_on_the_latest_review(desktop, base_url):
    desktop.get(base_url + "services/checkout-web/reviews/2026-09-08/")
    overdue = desktop.find_elements(By.CSS_SELECTOR, "ul.actions > li.is-overdue .overdue")
    assert overdue and overdue[0].text.lower().startswith("overdue")


# 5. The review page

def test_review_page_says_what_blocks_readiness(desktop, base_url):
    desktop.get(base_url + "services/search-indexer/reviews/2026-10-02/")
    summary = desktop.find_element(By.CSS_SELECTOR, "aside.summary").text
    assert "rollback" in summary.lower() and "dep-rollback" not in summary, summary
    blocking = desktop.find_element(By.CSS_SELECTOR, "section.blocking")
    assert blocking.find_elements(By.CSS_SELECTOR, ".required")
    desktop.get(base_url + "services/checkout-web/reviews/2026-09-08/")
    summary = desktop.find_element(By.CSS_SELECTOR, "aside.summary").text
    assert "Approved with conditions" in summary and "approved-with-conditions" not in summary


def test_pending_signoffs_look_different_from_approved(desktop, base_url):
    desktop.get(base_url + "services/auth-gateway/reviews/2026-11-02/")
    approved = desktop.find_elements(By.CSS_SELECTOR, "li.signoff-approved .signoff")
    pending = desktop.find_elements(By.CSS_SELECTOR, "li.signoff-pending .signoff")
    assert approved and pending
    style = "const s = getComputedStyle(arguments[0]); return [s.color, s.borderTopStyle];"
    assert desktop.execute_script(style, approved[0]) != desktop.execute_script(style, pending[0])
    marks = [m.text for m in desktop.find_elements(By.CSS_SELECTOR, "aside.summary .signoff-mark")]
    assert "✓" in marks and "…" in marks


# 6. Search

def search(browser, base_url, words):
    browser.get(base_url + "checklists/production-readiness/")
    box = browser.find_element(By.ID, "search-input")
    box.send_keys(words)
    WebDriverWait(browser, 10).until(expected_conditions.visibility_of_element_located((By.ID, "search-results")))
    return box, browser.find_elements(By.CSS_SELECTOR, "#search-results li")


def test_search_finds_an_owner(desktop, base_url):
    _, results = search(desktop, base_url, "discovery")
    text = [r.text for r in results]
    assert any(t.startswith("Search indexer") for t in text), text


def test_search_finds_a_status(desktop, base_url):
    _, results = search(desktop, base_url, "not ready")
    services = [r.text for r in results if " service" in r.text]
    assert len(services) >= 4 and all("Not ready" in t for t in services[:4]), services
    assert " service" in results[0].text


def test_search_finds_a_level_before_a_check(desktop, base_url):
    _, results = search(desktop, base_url, "gold")
    assert "service" in results[0].text and "Gold" in results[0].text, [r.text for r in results]


@pytest.mark.parametrize("words, expect", [("rolled", "Search indexer"), ("reporting-leads", "reporting-leads")])
def test_search_finds_review_text_and_assignees(desktop, base_url, words, expect):
    _, results = search(desktop, base_url, words)
    assert any(expect in r.text for r in results), [r.text for r in results]


def test_arrow_keys_move_through_results(desktop, base_url):
    box, results = search(desktop, base_url, "payments")
    assert len(results) >= 2
    box.send_keys(Keys.ARROW_DOWN)
    links = desktop.find_elements(By.CSS_SELECTOR, "#search-results a")
    assert desktop.switch_to.active_element == links[0]
    desktop.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert desktop.switch_to.active_element == links[1]
    desktop.switch_to.active_element.send_keys(Keys.ARROW_UP)
    desktop.switch_to.active_element.send_keys(Keys.ARROW_UP)
    assert desktop.switch_to.active_element == box
    box.send_keys(Keys.ESCAPE)
    assert not desktop.find_element(By.ID, "search-results").is_displayed()


# 7. Filters in the URL

def test_filters_are_restored_from_the_url(desktop, base_url):
    desktop.get(base_url + "?status=not-ready&tier=1")
    assert desktop.find_element(By.NAME, "status").get_attribute("value") == "not-ready"
    assert desktop.find_element(By.NAME, "tier").get_attribute("value") == "1"
    shown = rows(desktop)
    assert shown and all(r.get_attribute("data-status") == "not-ready" and r.get_attribute("data-tier") == "1"
                         for r in shown)
    everything = desktop.find_elements(By.CSS_SELECTOR, "#services tbody tr")
    assert len(shown) < len(everything)


def test_changing_a_filter_updates_the_url(desktop, base_url):
    desktop.get(base_url)
    desktop.find_element(By.CSS_SELECTOR, "select[name=status] option[value='ready']").click()
    desktop.find_element(By.NAME, "stale").click()
    assert "status=ready" in desktop.current_url and "stale=yes" in desktop.current_url
    desktop.get(desktop.current_url)
    assert desktop.find_element(By.NAME, "status").get_attribute("value") == "ready"
    assert desktop.find_element(By.NAME, "stale").is_selected()


def test_status_counts_filter(desktop, base_url):
    desktop.get(base_url)
    link = desktop.find_element(By.CSS_SELECTOR, ".status-counts a[data-value='not-ready']")
    count = int(link.find_element(By.TAG_NAME, "strong").text)
    link.click()
    assert "status=not-ready" in desktop.current_url
    assert len(rows(desktop)) == count
    assert link.get_attribute("aria-current") == "true"
    level = desktop.find_element(By.CSS_SELECTOR, ".level-counts a[data-value='Silver']")
    level.click()
    assert all(r.get_attribute("data-level") == "Silver" for r in rows(desktop))


def test_below_target_link_keeps_other_filters(desktop, base_url):
    desktop.get(base_url + "?tier=1")
    link = desktop.find_element(By.CSS_SELECTOR, ".target-counts a[data-filter='below']")
    link.click()
    assert "tier=1" in desktop.current_url and "below=yes" in desktop.current_url
    assert desktop.find_element(By.NAME, "below").is_selected()
    assert link.get_attribute("aria-current") == "true"
    assert all(r.get_attribute("data-below-target") == "yes" and r.get_attribute("data-tier") == "1"
               for r in rows(desktop))
    desktop.find_element(By.CSS_SELECTOR, "select[name=tier] option[value='3']").click()
    desktop.find_element(By.CSS_SELECTOR, "select[name=status] option[value='ready']").click()
    assert "No service matches" in desktop.find_element(By.ID, "filter-count").text


def test_filtered_view_works_without_the_script_as_a_full_table(browser, base_url):
    """Without JavaScript the dashboard is complete: every service is listed."""
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(base_url + "?status=ready")
        every = browser.find_elements(By.CSS_SELECTOR, "#services tbody tr")
        assert len(every) == 8 and all(r.is_displayed() for r in every)
        assert browser.find_element(By.CSS_SELECTOR, "section.attention")
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


# 8. The checklist matrix

def test_matrix_groups_checks_and_explains_cells(desktop, base_url):
    desktop.get(base_url + "checklists/production-readiness/")
    groups = desktop.find_elements(By.CSS_SELECTOR, ".matrix thead .category-row th")
    assert len(groups) >= 3
    spans = sum(int(g.get_attribute("colspan")) for g in groups)
    assert spans == len(desktop.find_elements(By.CSS_SELECTOR, ".matrix thead .check-head"))
    cell = desktop.find_element(By.CSS_SELECTOR, ".matrix tbody td.cell")
    assert ":" in cell.get_attribute("title")
