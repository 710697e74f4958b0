"""The page registry: the one list of the app's pages.

``app.py`` builds ``st.navigation`` from it and the Home page builds its list of links
from it, so a new page is added in exactly one place: append one ``PageSpec`` row to
``PAGES`` (its file lives in ``pages/``). Rows show in this order within their section.

This module is plain data: it imports nothing from Streamlit, so tests can read it.
"""

from typing import NamedTuple

# Sections of the navigation menu, in the order they are shown.
SECTIONS: tuple[str, ...] = ("Start", "Cross-entropy", "Gradients", "Training")


class PageSpec(NamedTuple):
    """One page of the app.

    Parameters
    ----------
    path : str
        The page's script, relative to the repository root, e.g. ``"pages/binary.py"``.
    title : str
        Shown in the navigation menu, the browser tab and the Home page's list.
    icon : str
        An emoji or a Material Symbol such as ``":material/functions:"``.
    url_path : str
        The page's URL name (``/binary``); unique, no slashes. The default page is served
        at ``/`` instead.
    description : str
        One line for the Home page's list and the navigation tooltip.
    section : str
        One of ``SECTIONS``.
    """

    path: str
    title: str
    icon: str
    url_path: str
    description: str
    section: str


# The first row is the default page (served at "/").
# To add a page: append ONE row here, in the section it belongs to.
PAGES: list[PageSpec] = [
    PageSpec(
        path="pages/home.py",
        title="Home",
        icon=":material/home:",
        url_path="home",
        description="What the explorer shows, the key takeaways, and a map of its pages.",
        section="Start",
    ),
]

DEFAULT_PAGE: PageSpec = PAGES[0]


def pages_by_section() -> dict[str, list[PageSpec]]:
    """Group ``PAGES`` by section, in ``SECTIONS`` order, leaving out empty sections.

    >>> list(pages_by_section())[0]
    'Start'
    """
    grouped: dict[str, list[PageSpec]] = {section: [] for section in SECTIONS}
    for spec in PAGES:
        if spec.section not in grouped:
            raise ValueError(f"page {spec.path!r} has section {spec.section!r}; expected one of {SECTIONS}")
        grouped[spec.section].append(spec)
    return {section: specs for section, specs in grouped.items() if specs}
