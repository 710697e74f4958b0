"""Cross-Entropy Explorer: the frame.

Page config, the navigation built from ``ui.registry.PAGES``, the shared sidebar, and the
run of the chosen page inside ``safe_page`` so a visitor never sees a traceback.
To add a page, append a row to ``PAGES`` in ``ui/registry.py``; nothing here changes.
"""

import streamlit as st

from ui.common import safe_page, units_radio
from ui.formula_scroll import formula_scroll
from ui.frame import (
    PAGE_KEY,
    link_parameters,
    opened_presenting,
    presenter_toggle,
    report_link_problems,
    share_button,
)
from ui.lesson_player import follow_lesson, lesson_bar, lesson_panel
from ui.page_menu import page_menu
from ui.registry import DEFAULT_PAGE, pages_by_section
from ui.runtime import one_blas_thread_once_numpy_is_loaded

st.set_page_config(
    page_title="Cross-Entropy Explorer",
    page_icon="📉",
    layout="wide",
    # A lecture link (?present=1) opens with the sidebar folded: the projector's width goes to the page.
    initial_sidebar_state="collapsed" if opened_presenting() else "auto",
)


# One BLAS thread per matrix product: the app multiplies small matrices for many sessions at once on a small
# machine, where the BLAS's extra threads only contend (tests/perf/bench_train measures it).  Applied as soon
# as a page has loaded numpy (the home page does not: a cold server draws it sooner).
one_blas_thread_once_numpy_is_loaded()

sections = {
    section: [
        st.Page(
            spec.path,
            title=spec.title,
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec is DEFAULT_PAGE,
            help=spec.description,
        )
        for spec in specs
    ]
    for section, specs in pages_by_section().items()
}
# ui.page_menu draws the menu: Streamlit's own nests <li> in a <div> in the <ul>.
navigation = st.navigation(sections, position="hidden")

here = st.session_state[PAGE_KEY] = navigation.url_path or DEFAULT_PAGE.url_path
draw_page = follow_lesson(here)  # a lesson link or a move to a step: before any widget (may switch pages)
page_menu(here, [page for pages in sections.values() for page in pages])
formula_scroll()
presenter_toggle()
units_radio()
share_button()
lesson_panel(here)

# Every control is bound to the URL; after the page ran, say which of the link's values it could not use.
link = link_parameters()
lesson_bar(here)
if draw_page:  # not while a step on this same page is being opened (ui.lesson_player)
    with safe_page():
        navigation.run()
    report_link_problems(link)
one_blas_thread_once_numpy_is_loaded()
