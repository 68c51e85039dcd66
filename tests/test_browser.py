"""The web app in headless Chromium: search a provider, open its page, follow its owner, run a stored
query from its form, download the CSV, fetch a page as Turtle."""
from __future__ import annotations

import csv
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ofsted_kg import stored
from ofsted_kg.web.server import start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def downloads():
    folder = Path(tempfile.mkdtemp(prefix="ofsted-kg-downloads-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(downloads):
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
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def served():
    from test_web import web_store

    handle = start_server(web_store(), port=0)
    yield handle
    handle.stop()


def test_search_open_follow_run_download_and_turtle(browser, served, downloads):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait
    from test_web import URN, _misspell, row_of

    row = row_of(URN)
    wait = WebDriverWait(browser, 30)
    browser.get(served.url)

    # search with a misspelt name, as typed in a hurry
    box = browser.find_element(By.ID, "search-box")
    box.send_keys(_misspell(row["Name"]))
    box.submit()
    hits = wait.until(ready.presence_of_element_located((By.ID, "hits")))
    hits.find_element(By.CSS_SELECTOR, f'a[href="/id/provider/{URN}"]').click()

    # the provider's page, then its owner by the link in its release history
    title = wait.until(ready.presence_of_element_located((By.ID, "entity-title")))
    assert title.text == row["Name"]
    owners = browser.find_element(By.ID, "provider-owners")
    owners.find_element(By.CSS_SELECTOR, 'a[href^="/id/organisation/"]').click()
    wait.until(lambda d: d.find_element(By.ID, "entity-title").text.casefold()
               == row["Organisation which owns the provider"].casefold())
    assert browser.find_elements(By.CSS_SELECTOR, f'#organisation-providers a[href="/id/provider/{URN}"]')
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "owner-page.png"))

    # a stored query from its form: the example parameter is filled in; run it
    browser.get(served.url + "queries/provider-profile")
    field = wait.until(ready.presence_of_element_located((By.ID, "param-urn")))
    field.clear()
    field.send_keys(URN)
    browser.find_element(By.ID, "run").click()
    table = wait.until(ready.presence_of_element_located((By.ID, "result-table")))
    assert row["Name"] in table.text
    # sorting by a column marks the heading
    heading = table.find_element(By.CSS_SELECTOR, "button.sort")
    heading.click()
    assert heading.get_attribute("data-order") == "asc"
    browser.save_screenshot(str(ARTIFACTS / "query-page.png"))

    # the CSV download lands in the download folder with the query's columns
    browser.find_element(By.ID, "download-csv").click()
    target = downloads / "provider-profile.csv"
    deadline = time.monotonic() + 20
    while not target.exists():
        assert time.monotonic() < deadline, "no CSV downloaded"
        time.sleep(0.2)
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == stored.load("provider-profile").columns
    assert rows[0]["urn"] == URN and rows[0]["name"] == row["Name"]

    # the same page as Turtle, asked for from the browser by content negotiation
    browser.get(served.url + f"id/provider/{URN}")
    turtle = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(location.href, {headers: {Accept: 'text/turtle'}}).then(r => r.text()).then(done);")
    triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE, base_iri=served.url))
    names = [t.object.value for t in triples if t.predicate.value == "https://schema.org/name"]
    assert names == [row["Name"]]
