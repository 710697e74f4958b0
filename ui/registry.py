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
    PageSpec(
        path="pages/surprise.py",
        title="Surprise",
        icon=":material/psychology_alt:",
        url_path="surprise",
        description="The guessing game: loss as surprise in bits and nats, and the −log p curve.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/binary.py",
        title="Binary cross-entropy",
        icon=":material/toggle_on:",
        url_path="binary",
        description="Both loss curves, the 0.5 boundary and the gradient, in probability and in logit space.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/multiclass.py",
        title="Multi-class logits",
        icon=":material/bar_chart:",
        url_path="multiclass",
        description="Logits, softmax, temperature and label smoothing; each class's loss and gradient p − y.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/simplex.py",
        title="Probability simplex",
        icon=":material/change_history:",
        url_path="simplex",
        description="Three classes as a triangle: the loss over every prediction, descent and temperature.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/comparison.py",
        title="Loss comparison",
        icon=":material/compare_arrows:",
        url_path="comparison",
        description="CE, MSE, focal, hinge, label smoothing: losses, gradients, a 95/5 imbalance demo.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/kl.py",
        title="Entropy and KL",
        icon=":material/stacked_bar_chart:",
        url_path="kl",
        description="H(P, Q) = H(P) + KL(P ‖ Q) as a stacked bar; label smoothing raises the floor.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/language.py",
        title="Language-model surprise",
        icon=":material/text_fields:",
        url_path="language",
        description="Character models scored in bits per character and perplexity; surprise per letter.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/pitfalls.py",
        title="Numerical pitfalls",
        icon=":material/warning:",
        url_path="pitfalls",
        description="Naive softmax-then-log in float16/32/64, clipping, BCE on softmax, MSE on a sigmoid.",
        section="Cross-entropy",
    ),
    PageSpec(
        path="pages/softmax_gradient.py",
        title="Softmax gradient",
        icon=":material/grid_on:",
        url_path="softmax_gradient",
        description="∂L/∂z = s − y through the softmax Jacobian, term by term, checked numerically.",
        section="Gradients",
    ),
    # Gradients: Softmax gradient first, Vectorized identities last (Backpropagation, Mini-batches between).
    PageSpec(
        path="pages/backprop.py",
        title="Backpropagation",
        icon=":material/account_tree:",
        url_path="backprop",
        description="A 4-layer net stepped forward and backward: δ, shapes, every gradient checked.",
        section="Gradients",
    ),
    PageSpec(
        path="pages/minibatch.py",
        title="Mini-batches",
        icon=":material/stacks:",
        url_path="minibatch",
        description="Per-example gradients and their mean, where the 1/B goes, noise shrinking like 1/√B.",
        section="Gradients",
    ),
    PageSpec(
        path="pages/identities.py",
        title="Vectorized identities",
        icon=":material/function:",
        url_path="identities",
        description="CS224n's Jacobian identities checked numerically; a 1-layer net as columns and rows.",
        section="Gradients",
    ),
    PageSpec(
        path="pages/train.py",
        title="Train a network",
        icon=":material/model_training:",
        url_path="train",
        description="Train a network live on 2-D data or digits; race two losses from the same start.",
        section="Training",
    ),
    PageSpec(
        path="pages/calibration.py",
        title="Calibration lab",
        icon=":material/tune:",
        url_path="calibration",
        description="Is a network as sure as it is right? Reliability diagrams, ECE, temperature scaling.",
        section="Training",
    ),
    PageSpec(
        path="pages/predictions.py",
        title="Your own predictions",
        icon=":material/upload_file:",
        url_path="predictions",
        description="Upload your model's outputs: loss per class and example, confusion, reliability, ECE.",
        section="Training",
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
