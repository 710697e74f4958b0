"""Cross-Entropy Explorer: the frame.

Page config, the navigation built from ``ui.registry.PAGES``, the shared sidebar, and the
run of the chosen page inside ``safe_page`` so a visitor never sees a traceback.
To add a page, append a row to ``PAGES`` in ``ui/registry.py``; nothing here changes.
"""

import streamlit as st

from ui.common import safe_page, units_radio
from ui.registry import DEFAULT_PAGE, pages_by_section

st.set_page_config(page_title="Cross-Entropy Explorer", page_icon="📉", layout="wide")

navigation = st.navigation(
    {
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
)

units_radio()

with safe_page():
    navigation.run()
