"""Browser journeys: pytest-django's live server, Debian's Chromium, Playwright's sync API.

Run with `make e2e`. Chromium comes from Debian (`apt-get install chromium`), not from
`playwright install`, so that the suite runs offline on the same browser build as CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls that the tests make next to it (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser journeys need Debian's Chromium. "
            "Install it with `apt-get install chromium` (and `fonts-wqy-microhei` for Chinese "
            "screenshots).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # An English browser on purpose: the interface must stay Chinese whatever the browser asks.
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _static_files(settings: Any) -> None:
    """Serve CSS and JS straight from the finders, as `runserver` does.

    The settings use WhiteNoise's manifest storage when DEBUG is off (as under pytest), and the
    manifest only exists after `collectstatic`: without this, `{% static %}` raises "Missing
    staticfiles manifest entry" and every page is a 500. Django's documentation says to use the
    plain storage in tests; the live server's StaticFilesHandler then serves /static/ from
    the finders (static/ and node_modules/).
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def demo(live_server: Any, transactional_db: None, settings: Any, tmp_path: Path) -> Any:
    """The demo district and its accounts, with the demo list on the login page."""
    from qifu.core import demo as demo_data

    settings.QIFU_DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo's documents stay out of the work tree
    demo_data.build()
    return live_server


@pytest.fixture
def demo_password(settings: Any) -> str:
    return str(settings.QIFU_DEMO_PASSWORD)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, the journeys' database is a file rather than shared memory.

    Pages send requests of their own while the journey goes on (the visit form saves its draft
    when the page is left), so the live server answers two requests at once. Shared-memory SQLite
    refuses a second writer outright ("database table is locked"); a file in WAL mode waits for
    it, as the application does in production.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("db") / "e2e.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
