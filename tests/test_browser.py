"""The query page in headless Chromium: pick a stored query, run it, see its rows."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from ofsted_kg.web.server import free_port, start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ofsted-kg-chromium-")
    # offline machine: without these Chromium waits on network services
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_page_runs_a_stored_query_and_shows_its_rows(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait
    from test_server import small_store

    handle = start_server(small_store(), port=free_port(), page_port=0)
    try:
        browser.get(handle.url)
        wait = WebDriverWait(browser, 20)
        wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, 'li[data-name="provider-profile"]'))).click()
        # the example parameter (urn=SC066400) is bound on the server and shown in the editor
        wait.until(lambda d: '"SC066400"' in d.find_element(By.ID, "editor").get_property("value"))
        browser.find_element(By.ID, "run").click()
        table = wait.until(ready.presence_of_element_located((By.ID, "result-table")))
        assert "Nexus Fostering" in table.text
        assert "rows in" in browser.find_element(By.ID, "status").text
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "query-page.png"))
    finally:
        handle.stop()
