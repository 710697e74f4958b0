"""words.lessons: every page's "What to try" prompts and its predict-then-check question.

Every question's answer is recomputed here from ``core`` by another route than the one ``words`` takes,
and the prompts are checked to quote the pages' own defaults (:mod:`core.defaults`).  That each *italic*
control exists on its page is checked with the pages themselves in tests/ui/test_teaching.py.
"""

import math
import re

import numpy as np
import pytest

from core.defaults import (
    BACKPROP_BATCH,
    KL_P_WEIGHTS,
    KL_Q_WEIGHTS,
    MULTICLASS_LOGITS,
    SOFTMAX_GRADIENT_LOGITS,
    SURPRISE_EXPLORER,
)
from core.functional import softmax, softmax_jacobian
from core.gradcheck import numerical_jacobian
from core.information import cross_entropy_between, entropy
from core.jacobians import identity_case
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits_grad,
    cross_entropy_grad,
    focal_loss_grad,
    loss_grad,
    multi_margin_loss_grad,
)
from core.minibatch import gaussian_blobs, per_example_grads
from core.mlp import MLP, demo_network
from core.pitfalls import clipped_log_loss_grad
from tests.words._lesson_helpers import italic_spans, option_index
from ui.registry import PAGES
from words.lesson import Lesson, Question, feedback
from words.lessons import LESSONS

URL_PATHS = [spec.url_path for spec in PAGES]
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


def all_text(url_path: str) -> str:
    lesson = LESSONS[url_path]
    texts = list(lesson.what_to_try)
    if lesson.question is not None:
        question = lesson.question
        texts += [question.prompt, *question.options, question.try_it]
        texts += [question.solve(unit)[1] for unit in ("nats", "bits")]
    return "\n".join(texts)


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
    for option in question.options:  # they are also URL values
        assert option.strip()
        assert "*" not in option
    correct, explanation = question.solve(unit)
    assert isinstance(correct, int)
    assert 0 <= correct < len(question.options)
    assert explanation.strip()
    assert not re.search(r"<[a-zA-Z/]", explanation)
    assert italic_spans(question.try_it), "the pointer must name a control"


@pytest.mark.parametrize("url_path", QUESTIONS)
def test_the_answer_does_not_depend_on_the_unit(url_path):
    question = LESSONS[url_path].question
    assert question.solve("nats")[0] == question.solve("bits")[0]


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_no_lesson_names_an_internal_source_label(url_path):
    text = all_text(url_path)
    assert not re.search(r"\bseeds? ?0\d\d|seed article|seed's|the seed\b", text, re.IGNORECASE), text


# ----------------------------------------------------------------------------- the pages' own defaults
def test_the_prompts_quote_the_pages_defaults():
    assert f"from {SURPRISE_EXPLORER[0]:.0f}% down to 5%" in LESSONS["surprise"].what_to_try[3]
    assert f"from {MULTICLASS_LOGITS[0]:g} up to 8" in LESSONS["multiclass"].what_to_try[0]
    assert (
        f"set *Batch size B* from {BACKPROP_BATCH[2]} to {BACKPROP_BATCH[1]}"
        in LESSONS["backprop"].what_to_try[1]
    )
    kl = LESSONS["kl"].question.prompt
    assert "(" + ", ".join(f"{w / 100:.2f}" for w in KL_P_WEIGHTS) + ")" in kl
    assert "(" + ", ".join(f"{w / 100:.2f}" for w in KL_Q_WEIGHTS) + ")" in kl
    logits = ", ".join(f"{v:.1f}".replace("-", "−") for v in SOFTMAX_GRADIENT_LOGITS[:4])
    assert f"({logits})" in LESSONS["softmax_gradient"].question.prompt


def test_the_backprop_prompt_does_not_say_the_gradient_must_shrink_at_every_layer():
    prompt = LESSONS["backprop"].what_to_try[3]
    assert "shrinks at every layer" not in prompt
    assert "a weight matrix Wᵀ" in prompt
    assert "larger weights can make it grow" in prompt


def test_the_kl_prompt_does_not_mix_units():
    assert "wasted bits" not in LESSONS["kl"].what_to_try[0]


# ------------------------------------------------------------------ the answers, recomputed with core
def test_surprise_halving_p_always_adds_ln_2():
    question = LESSONS["surprise"].question
    # Another route than words' core.information.surprise: BCE with y = 1 is −ln p too.
    rises = [
        float(binary_cross_entropy(p / 2, 1.0)) - float(binary_cross_entropy(p, 1.0))
        for p in (0.9, 0.7, 0.3, 0.1, 0.01)
    ]
    assert np.allclose(rises, math.log(2), rtol=1e-12)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "goes up by the same")
    assert f"{math.log(2):.4f} nats" in explanation
    assert "1.0000 bits" in question.solve("bits")[1]  # the same step in bits is one bit


def test_binary_gradient_at_p_001_is_minus_100():
    question = LESSONS["binary"].question
    grad = float(binary_cross_entropy_grad(0.01, 1.0))
    assert grad == pytest.approx(-100.0)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, f"about −{abs(round(grad))}")
    z = math.log(0.01 / 0.99)
    assert f"{float(binary_cross_entropy_with_logits_grad(z, 1.0)):.3f}".replace("-", "−") in explanation


def test_multiclass_largest_gradient_is_the_true_class():
    question = LESSONS["multiclass"].question
    grad = cross_entropy_grad([2.0, 1.0, 0.1], 0)
    largest = ("Cat", "Dog", "Bird")[int(np.argmax(np.abs(grad)))]
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, largest)
    assert "Cat −0.341, Dog +0.242, Bird +0.099" in explanation


def test_comparison_only_the_hinge_stops_at_p_090():
    question = LESSONS["comparison"].question
    logits = np.array([[math.log(0.9 / 0.1), 0.0]])
    target = np.array([0])
    grads = {
        "cross-entropy": cross_entropy_grad(logits, target)[0, 0],
        "focal": focal_loss_grad(logits, target, gamma=2.0)[0, 0],
        "hinge": multi_margin_loss_grad(logits, target, margin=1.0)[0, 0],
    }
    (silent,) = [name for name, g in grads.items() if g == 0]
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, silent)
    assert "CE −0.1000" in explanation
    assert "hinge (margin 1) 0.0000" in explanation


@pytest.mark.parametrize(("unit", "base"), [("nats", math.e), ("bits", 2.0)])
def test_kl_is_not_symmetric(unit, base):
    question = LESSONS["kl"].question
    p = np.array([60, 25, 10, 5]) / 100
    q = np.array([85, 10, 3, 2]) / 100
    # KL = H(P, Q) − H(P), another route than core.information.kl_divergence
    forward = float(cross_entropy_between(p, q, base=base) - entropy(p, base=base))
    reverse = float(cross_entropy_between(q, p, base=base) - entropy(q, base=base))
    assert forward != pytest.approx(reverse)
    correct, explanation = question.solve(unit)
    larger = "KL(P ‖ Q)" if forward > reverse else "KL(Q ‖ P)"
    assert correct == option_index(question, f"{larger} is larger")
    assert f"KL(P ‖ Q) = {forward:.4f} {unit}" in explanation
    assert f"KL(Q ‖ P) = {reverse:.4f} {unit}" in explanation


def test_pitfalls_clipped_gradient_below_eps_is_exactly_zero():
    question = LESSONS["pitfalls"].question
    assert float(clipped_log_loss_grad(1e-10, 1.0, eps=1e-7)) == 0.0
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "exactly 0")
    assert f"{-math.log(1e-7):.4f} nats" in explanation  # the frozen loss −ln ε
    assert f"{math.log(1e-7 / 1e-10):.4f} nats of loss" in explanation  # hidden: ln(ε/p)


def test_softmax_gradient_off_diagonal_is_minus_si_sk():
    question = LESSONS["softmax_gradient"].question
    z = np.array([3.5, 0.8, 0.2, -0.5])
    s = softmax(z)
    entry = float(softmax_jacobian(z)[0, 1])
    assert entry == pytest.approx(-s[0] * s[1])
    assert entry != pytest.approx(-s[0] * s[0])
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "−s₁ s₂")
    assert f"−{abs(entry):.4f}" in explanation


def test_backprop_grad_w1_has_the_shape_of_w1():
    question = LESSONS["backprop"].question
    net = MLP([2, 5, 5, 5, 3], seed=3)
    X, y = gaussian_blobs(8, 2, 3, seed=3)
    _, grads = net.loss_and_grads(X, y)
    assert grads["W1"].shape == net.params["W1"].shape == (2, 5)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "2 × 5 (D × H)")
    assert "D × H = 2 × 5" in explanation


def test_minibatch_doubling_the_batch_divides_the_spread_by_root_two():
    question = LESSONS["minibatch"].question
    X, y = gaussian_blobs(2048, 2, 3, seed=0)
    net = demo_network([2, 16, 16, 16, 3], seed=0)
    per_example = per_example_grads(net, X, y)["b4"][:, 0]
    sigma = float(per_example.std())
    theory = (sigma / math.sqrt(16)) / (sigma / math.sqrt(32))
    assert theory == pytest.approx(math.sqrt(2))
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "√2")
    measured = float(re.search(r"divided by (\d\.\d\d)", explanation).group(1))
    assert measured == pytest.approx(theory, rel=0.05)


def test_identities_row_vector_jacobian_is_w_transposed():
    question = LESSONS["identities"].question
    case = identity_case(2, seed=1, n=3, m=4)
    numerical = numerical_jacobian(case.function, case.point)
    W = case.inputs["W"]
    assert numerical.shape == W.T.shape == (4, 3)
    assert np.allclose(numerical, W.T, atol=1e-8)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "Wᵀ")
    assert "**4 × 3**" in explanation


def test_train_cross_entropy_pushes_a_confidently_wrong_logit_harder_than_mse():
    question = LESSONS["train"].question
    z = np.array([[-2.0, 1.5, 2.0]])
    ce = float(loss_grad("cross_entropy", z, np.array([0]))[0, 0])
    mse = float(loss_grad("softmax_mse", z, np.array([0]))[0, 0])
    assert abs(ce) > 50 * abs(mse)
    correct, explanation = question.solve("nats")
    assert correct == option_index(question, "cross-entropy")
    assert f"{ce:.4f}".replace("-", "−") in explanation


def test_feedback_says_right_or_wrong_and_points_at_the_page():
    question = LESSONS["multiclass"].question
    correct, explanation = question.solve("nats")
    right, text = feedback(question, correct, "nats")
    assert right
    assert text.startswith("**Right.**")
    assert explanation in text
    wrong, text = feedback(question, (correct + 1) % len(question.options), "nats")
    assert not wrong
    assert text.startswith(f"**Not quite: the answer is “{question.options[correct]}”.**")
    assert text.endswith(question.try_it)


def test_a_lesson_is_built_on_first_use_and_then_shared():
    """Importing the lessons builds none (a cold start opening Home pays for Home's only); each is built
    once per process and then the same object."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, words.lessons as w; "
        "print('words.simplex' in sys.modules, w._build.cache_info().currsize); "
        "print(w.LESSONS['simplex'] is w.LESSONS['simplex'], 'words.simplex' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    ).stdout
    assert out.split() == ["False", "0", "True", "True"]


def test_an_unknown_page_has_no_lesson():
    assert LESSONS.get("no_such_page") is None
    with pytest.raises(KeyError):
        LESSONS["no_such_page"]
