"""The sidebar's menu of pages, drawn by the app itself: section headings and one link per page.

Streamlit 1.67's own menu (``st.navigation`` in the sidebar) puts each section's ``<li>`` items inside
a ``<div>`` inside the ``<ul>``, which screen readers meet as a broken list on every page (axe-core's
rules "list" and "listitem", 13 serious violations a page).  So ``app.py`` hides that menu
(``position="hidden"``: the pages, their URLs and deep links stay as they were) and :func:`page_menu`
draws the same menu from :data:`ui.registry.PAGES`:

- a real heading (``<h2>``) per section, in ``SECTIONS`` order, for screen-reader navigation;
- one ``st.page_link`` per page with its title, icon and description as the tooltip; a link is an
  ``<a href>`` that Tab reaches and Enter follows, and that opens in a new tab on a middle click;
- the current page drawn as Streamlit draws it (highlighted, bold), and marked ``aria-current="page"``
  with the menu a ``navigation`` landmark, by ``ui/page_menu.js`` (``st.page_link`` sets neither).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from ui.components import script_component
from ui.registry import DEFAULT_PAGE, pages_by_section

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

MENU_KEY = "page_menu"  # the menu's container: Streamlit gives it the class "st-key-page_menu"
MENU_LABEL = "Pages"  # the navigation landmark's accessible name
COMPONENT_NAME = "explorer_page_menu"
_JS_PATH = Path(__file__).with_name("page_menu.js")
# Section headings the size of the sidebar's labels, links close together as in Streamlit's own menu.
MENU_CSS = f"""
<style>
.st-key-{MENU_KEY} [data-testid="stHeading"] h2 {{
  font-size: 0.875rem !important; font-weight: 600; line-height: 1.25;
  padding: 1rem 0 0.375rem 0.5rem !important; margin: 0 !important;
}}
.st-key-{MENU_KEY} [data-testid="stHeading"] [data-testid="stMarkdownContainer"] {{
  margin-bottom: 0 !important;
}}
.st-key-{MENU_KEY} [data-testid="stElementContainer"]:has([data-testid="stPageLink"]) {{ margin: 0; }}
</style>
"""


def _marker() -> Callable:
    return script_component(COMPONENT_NAME, _JS_PATH, isolate_styles=False)


def page_menu(current: str, pages: Sequence[StreamlitPage] = ()) -> None:
    """Draw the menu of every page in the sidebar, ``current`` (a ``url_path``) marked as the current page.

    Call it once per run, after ``st.navigation(..., position="hidden")``, with the pages given to it
    (``st.page_link`` then links them by their hash: given a file path instead, it resolves that path on
    the disk, for every link of every run).  Without ``pages`` the links name the pages' files.
    """
    by_url = {page.url_path or DEFAULT_PAGE.url_path: page for page in pages}  # the default page's is ""
    st.html(MENU_CSS)
    with st.sidebar.container(key=MENU_KEY, gap=None):
        for section, specs in pages_by_section().items():
            st.header(section, anchor=False)
            for spec in specs:
                target = by_url.get(spec.url_path, spec.path)
                st.page_link(target, label=spec.title, icon=spec.icon, help=spec.description)
        target = "" if current == DEFAULT_PAGE.url_path else current  # the href st.page_link writes
        _marker()(
            key="page-menu-marker", data={"menu": MENU_KEY, "label": MENU_LABEL, "current": target}, height=0
        )
