"""ui.teaching: every page's "What to try" prompts and its predict-then-check question.

The prompts must name controls that exist on their page, and every question's answer is recomputed here
from ``core`` by another route than the one ``ui.teaching`` takes.
"""

import ast
import math
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from tests.pages._apptest import open_page
from ui.registry import PAGES
from ui.teaching import (
    LESSONS,
    PICK_HINT,
    QUESTION_TITLE,
    WHAT_TO_TRY_TITLE,
    Lesson,
    Question,
    feedback,
    question_key,
)

ROOT = Path(__file__).resolve().parents[2]
URL_PATHS = [spec.url_path for spec in PAGES]
SPECS = {spec.url_path: spec for spec in PAGES}
# The cross-entropy and gradient pages must have a question; home and train need not.
MUST_ASK = [
    "surprise",
    "binary",
    "multiclass",
    "comparison",
    "kl",
    "pitfalls",
    "softmax_gradient",
    "backprop",
    "minibatch",
    "identities",
]
QUESTIONS = [url for url in URL_PATHS if LESSONS[url].question is not None]
WIDGETS = {
    "slider",
    "select_slider",
    "radio",
    "selectbox",
    "number_input",
    "text_input",
    "button",
    "toggle",
    "checkbox",
}


def option_index(question: Question, start: str) -> int:
    """The index of the one option that starts with ``start``."""
    hits = [k for k, option in enumerate(question.options) if option.startswith(start)]
    assert len(hits) == 1, (start, question.options)
    return hits[0]


def italic_spans(markdown: str) -> list[str]:
    """The *italic* spans of a Markdown text (bold **spans** left out)."""
    without_bold = re.sub(r"\*\*.+?\*\*", "", markdown)
    return re.findall(r"\*([^*]+)\*", without_bold)


def normalise(label: str) -> str:
    """A widget label as read on screen: no Markdown bold, no leading emoji, single spaces."""
    text = " ".join(label.replace("**", "").split())
    if text and unicodedata.category(text[0]) == "So" and " " in text:
        text = text.split(" ", 1)[1]
    return text


def source_labels(path: Path) -> list[str]:
    """The literal text of every widget label in a page's source (an f-string's literal parts)."""
    labels = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WIDGETS or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            labels.append(first.value)
        elif isinstance(first, ast.JoinedStr):
            labels.extend(v.value for v in first.values if isinstance(v, ast.Constant) and v.value.strip())
    return labels


def rendered_labels(url_path: str) -> set[str]:
    """Labels of every control the page draws in its default state (and the sidebar's), normalised."""
    at = open_page(SPECS[url_path].path)
    labels = {normalise(w.label) for kind in WIDGETS for w in at.get(kind)}
    if url_path == "home":  # the Home page's controls are its links: "**Title** — description"
        labels |= {normalise(link.proto.label.split(" — ")[0]) for link in at.get("page_link")}
    return labels


# ------------------------------------------------------------------------------------------ the data
def test_every_registry_page_has_a_lesson_and_no_lesson_is_orphaned():
    assert set(LESSONS) == set(URL_PATHS)
    assert all(isinstance(lesson, Lesson) for lesson in LESSONS.values())


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_every_page_has_three_or_four_prompts_in_plain_markdown(url_path):
    prompts = LESSONS[url_path].what_to_try
    assert 3 <= len(prompts) <= 4
    assert len(set(prompts)) == len(prompts)
    for prompt in prompts:
        assert not re.search(r"<[a-zA-Z/]", prompt), prompt  # Markdown, no HTML
        assert italic_spans(prompt), f"names no control in *italics*: {prompt}"


@pytest.mark.parametrize("url_path", MUST_ASK)
def test_every_cross_entropy_and_gradient_page_asks_a_question(url_path):
    assert isinstance(LESSONS[url_path].question, Question)


@pytest.mark.parametrize("unit", ["nats", "bits"])
@pytest.mark.parametrize("url_path", QUESTIONS)
def test_every_question_has_unique_options_and_an_answer_in_range(url_path, unit):
    question = LESSONS[url_path].question
    assert 3 <= len(question.options) <= 4
    assert len(set(question.options)) == len(question.options)
    assert all(option.strip() and "*" not in option for option in question.options)  # also URL values
    correct, explanation = question.solve(unit)
    assert isinstance(correct, int) and 0 <= correct < len(question.options)
    assert explanation.strip() and not re.search(r"<[a-zA-Z/]", explanation)
    assert italic_spans(question.try_it), "the pointer must name a control"


@pytest.mark.parametrize("url_path", QUESTIONS)
def test_the_answer_does_not_depend_on_the_unit(url_path):
    question = LESSONS[url_path].question
    assert question.solve("nats")[0] == question.solve("bits")[0]


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_every_prompt_names_a_control_that_exists_on_its_page(url_path):
    """Each *italic* span is a control's label: drawn by the page now, or written in its source."""
    lesson = LESSONS[url_path]
    on_screen = rendered_labels(url_path)
    in_source = source_labels(ROOT / SPECS[url_path].path)
    texts = list(lesson.what_to_try) + ([lesson.question.try_it] if lesson.question else [])
    for text in texts:
        for span in italic_spans(text):
            shown = normalise(span) in on_screen
            written = len(span) >= 4 and any(span in label for label in in_source)
            assert shown or written, f"{url_path}: no control {span!r}; on screen: {sorted(on_screen)}"


def test_the_control_check_rejects_a_label_that_is_not_on_the_page():
    on_screen = rendered_labels("binary")
    assert "Predicted p = P(y = 1)" in on_screen
    assert "Temperature T" not in on_screen
    assert not any("Temperature T" in label for label in source_labels(ROOT / "pages/binary.py"))


@pytest.mark.parametrize("url_path", QUESTIONS)
def test_question_keys_are_url_friendly_and_unused_by_the_pages(url_path):
    key = question_key(url_path)
    assert re.fullmatch(r"[a-z0-9_]+", key)
    for path in [*(ROOT / "pages").glob("*.py"), ROOT / "app.py", ROOT / "ui/common.py"]:
        assert f'"{key}"' not in path.read_text(encoding="utf-8"), path


# ------------------------------------------------------------------ the answers, recomputed with core
def test_surprise_halving_p_always_adds_ln_2():
    question = LESSONS["surprise"].question
    # Another route than ui.teaching's core.surprise: BCE with y = 1 is −ln p too.
    rises = [
        float(core.binary_cross_entropy(p / 2, 1.0)) - float(core.binary_cross_entropy(p, 1.0))
        for p in (0.9, 0.7, 0.3, 0.1, 0.01)
    ]
    assert np.allclose(rises, math.log(2), rtol=1e-12)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "goes up by the same")
    assert f"{math.log(2):.4f} nats" in explanation
    assert "1.0000 bits" in question.solve("bits")[1]  # the same step in bits is one bit


def test_binary_gradient_at_p_001_is_minus_100():
    question = LESSONS["binary"].question
    grad = float(core.binary_cross_entropy_grad(0.01, 1.0))
    assert grad == pytest.approx(-100.0)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, f"about −{abs(round(grad))}")
    z = math.log(0.01 / 0.99)
    assert f"{float(core.binary_cross_entropy_with_logits_grad(z, 1.0)):.3f}".replace("-", "−") in explanation


def test_multiclass_largest_gradient_is_the_true_class():
    question = LESSONS["multiclass"].question
    grad = core.cross_entropy_grad([2.0, 1.0, 0.1], 0)
    largest = ("Cat", "Dog", "Bird")[int(np.argmax(np.abs(grad)))]
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, largest)
    assert "Cat −0.341, Dog +0.242, Bird +0.099" in explanation


def test_comparison_only_the_hinge_stops_at_p_090():
    question = LESSONS["comparison"].question
    logits = np.array([[math.log(0.9 / 0.1), 0.0]])
    target = np.array([0])
    grads = {
        "cross-entropy": core.cross_entropy_grad(logits, target)[0, 0],
        "focal": core.focal_loss_grad(logits, target, gamma=2.0)[0, 0],
        "hinge": core.multi_margin_loss_grad(logits, target, margin=1.0)[0, 0],
    }
    (silent,) = [name for name, g in grads.items() if g == 0]
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, silent)
    assert "CE −0.1000" in explanation and "hinge (margin 1) 0.0000" in explanation


@pytest.mark.parametrize("unit, base", [("nats", math.e), ("bits", 2.0)])
def test_kl_is_not_symmetric(unit, base):
    question = LESSONS["kl"].question
    p = np.array([60, 25, 10, 5]) / 100
    q = np.array([85, 10, 3, 2]) / 100
    # KL = H(P, Q) − H(P), another route than core.kl_divergence
    forward = float(core.cross_entropy_between(p, q, base=base) - core.entropy(p, base=base))
    reverse = float(core.cross_entropy_between(q, p, base=base) - core.entropy(q, base=base))
    assert forward != pytest.approx(reverse)
    correct, explanation = question.solve(unit)
    larger = "KL(P ‖ Q)" if forward > reverse else "KL(Q ‖ P)"
    assert correct == option_index(question, f"{larger} is larger")
    assert f"KL(P ‖ Q) = {forward:.4f} {unit}" in explanation
    assert f"KL(Q ‖ P) = {reverse:.4f} {unit}" in explanation


def test_pitfalls_clipped_gradient_below_eps_is_exactly_zero():
    question = LESSONS["pitfalls"].question
    assert float(core.clipped_log_loss_grad(1e-10, 1.0, eps=1e-7)) == 0.0
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "exactly 0")
    assert f"{-math.log(1e-7):.4f} nats" in explanation  # the frozen loss −ln ε
    assert f"{math.log(1e-7 / 1e-10):.4f} nats of loss" in explanation  # hidden: ln(ε/p)


def test_softmax_gradient_off_diagonal_is_minus_si_sk():
    question = LESSONS["softmax_gradient"].question
    z = np.array([3.5, 0.8, 0.2, -0.5])
    s = core.softmax(z)
    entry = float(core.softmax_jacobian(z)[0, 1])
    assert entry == pytest.approx(-s[0] * s[1]) and entry != pytest.approx(-s[0] * s[0])
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "−s₁ s₂")
    assert f"−{abs(entry):.4f}" in explanation


def test_backprop_grad_w1_has_the_shape_of_w1():
    question = LESSONS["backprop"].question
    net = core.MLP([2, 5, 5, 5, 3], seed=3)
    X, y = core.gaussian_blobs(8, 2, 3, seed=3)
    _, grads = net.loss_and_grads(X, y)
    assert grads["W1"].shape == net.params["W1"].shape == (2, 5)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "2 × 5 (D × H)")
    assert "D × H = 2 × 5" in explanation


def test_minibatch_doubling_the_batch_divides_the_spread_by_root_two():
    question = LESSONS["minibatch"].question
    X, y = core.gaussian_blobs(2048, 2, 3, seed=0)
    net = core.demo_network([2, 16, 16, 16, 3], seed=0)
    per_example = core.per_example_grads(net, X, y)["b4"][:, 0]
    sigma = float(per_example.std())
    theory = (sigma / math.sqrt(16)) / (sigma / math.sqrt(32))
    assert theory == pytest.approx(math.sqrt(2))
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "√2")
    measured = float(re.search(r"divided by (\d\.\d\d)", explanation).group(1))
    assert measured == pytest.approx(theory, rel=0.05)


def test_identities_row_vector_jacobian_is_w_transposed():
    question = LESSONS["identities"].question
    case = core.identity_case(2, seed=1, n=3, m=4)
    numerical = core.numerical_jacobian(case.function, case.point)
    W = case.inputs["W"]
    assert numerical.shape == W.T.shape == (4, 3)
    assert np.allclose(numerical, W.T, atol=1e-8)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "Wᵀ")
    assert "**4 × 3**" in explanation


def test_train_cross_entropy_pushes_a_confidently_wrong_logit_harder_than_mse():
    question = LESSONS["train"].question
    z = np.array([[-2.0, 1.5, 2.0]])
    ce = float(core.loss_grad("cross_entropy", z, np.array([0]))[0, 0])
    mse = float(core.loss_grad("softmax_mse", z, np.array([0]))[0, 0])
    assert abs(ce) > 50 * abs(mse)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "cross-entropy")
    assert f"{ce:.4f}".replace("-", "−") in explanation


def test_feedback_says_right_or_wrong_and_points_at_the_page():
    question = LESSONS["multiclass"].question
    correct, explanation = question.solve("nats")
    right, text = feedback(question, correct, "nats")
    assert right and text.startswith("**Right.**") and explanation in text
    wrong, text = feedback(question, (correct + 1) % len(question.options), "nats")
    assert not wrong and text.startswith(f"**Not quite: the answer is “{question.options[correct]}”.**")
    assert text.endswith(question.try_it)


# --------------------------------------------------------------------------------- drawn in a script
def aids_script(url_path: str, presenter: bool) -> None:
    from ui.teaching import render_teaching_aids

    render_teaching_aids(url_path, presenter=presenter)


def run_aids(url_path: str, presenter: bool = False, unit: str | None = None) -> AppTest:
    at = AppTest.from_function(
        aids_script, kwargs={"url_path": url_path, "presenter": presenter}, default_timeout=30
    )
    if unit is not None:
        at.session_state["units"] = unit
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_render_draws_the_prompts_and_checks_the_wrong_and_the_right_answer(url_path):
    lesson = LESSONS[url_path]
    at = run_aids(url_path)

    assert [e.label for e in at.expander] == [WHAT_TO_TRY_TITLE]
    listing = at.expander[0].markdown[0].value
    for k, prompt in enumerate(lesson.what_to_try, start=1):
        assert f"{k}. {prompt}" in listing
    if lesson.question is None:
        assert not at.radio
        return

    question = lesson.question
    (radio,) = at.radio
    assert radio.key == question_key(url_path) and radio.value is None
    assert radio.label == question.prompt and list(radio.options) == list(question.options)
    assert any(QUESTION_TITLE in m.value for m in at.markdown)
    assert [c.value for c in at.caption] == [PICK_HINT]
    assert not at.success and not at.error  # nothing revealed before a choice

    correct, explanation = question.solve("nats")
    wrong = (correct + 1) % len(question.options)
    at.radio(key=question_key(url_path)).set_value(question.options[wrong]).run()
    assert not at.exception
    assert not at.success
    (error,) = at.error
    assert error.value.startswith("**Not quite") and explanation in error.value
    assert question.options[correct] in error.value and question.try_it in error.value

    at.radio(key=question_key(url_path)).set_value(question.options[correct]).run()
    assert not at.exception
    assert not at.error
    (success,) = at.success
    assert success.value.startswith("**Right.**") and explanation in success.value


def test_the_explanation_follows_the_sidebar_unit():
    question = LESSONS["surprise"].question
    at = run_aids("surprise", unit="bits")
    at.radio(key=question_key("surprise")).set_value(question.options[0]).run()
    (error,) = at.error
    assert question.solve("bits")[1] in error.value and "up by **1.0000 bits**" in error.value


@pytest.mark.parametrize("url_path", ["binary", "backprop"])
def test_presenter_mode_hides_what_to_try_but_keeps_the_question(url_path):
    at = run_aids(url_path, presenter=True)
    assert not at.expander
    assert [r.key for r in at.radio] == [question_key(url_path)]


def test_an_unknown_page_draws_nothing():
    at = run_aids("no_such_page")
    assert not at.main.children
