"""words.backprop: the Backpropagation page's stages, named and checked on core.mlp's numbers."""

import numpy as np
import pytest

from core.minibatch import gaussian_blobs
from core.mlp import ACTIVATIONS, demo_network
from words.backprop import ACTIVATION_TEX, backprop_stages


def stage_setup(activation="relu", batch=8, hidden=5, classes=3, features=2):
    x, y = gaussian_blobs(batch, features, classes, seed=1)
    net = demo_network([features, hidden, hidden, hidden, classes], activation=activation, seed=1)
    return net, x, y, backprop_stages(net, x, y)


def test_stages_come_in_forward_then_backward_order():
    *_, stages = stage_setup()
    assert [s.key for s in stages] == [
        "forward-1",
        "forward-2",
        "forward-3",
        "forward-4",
        "output",
        "grad-4",
        "delta-3",
        "grad-3",
        "delta-2",
        "grad-2",
        "delta-1",
        "grad-1",
    ]
    assert [s.direction for s in stages] == ["Forward"] * 4 + ["Backward"] * 8


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize(
    ("batch", "hidden", "classes", "features"), [(1, 2, 2, 2), (8, 5, 3, 2), (16, 8, 5, 6)]
)
def test_every_stage_matrix_has_the_shape_its_symbols_promise(activation, batch, hidden, classes, features):
    *_, stages = stage_setup(activation, batch, hidden, classes, features)
    sizes = {"B": batch, "D": features, "H": hidden, "C": classes, "1": 1}
    for stage in stages:
        for matrix in stage.matrices:
            assert matrix.values.shape == tuple(sizes[s] for s in matrix.symbols), (stage.key, matrix.name)
            assert (
                matrix.shape_text == f"{'×'.join(matrix.symbols)} = {'×'.join(map(str, matrix.values.shape))}"
            )
        for product, symbolic, numeric in stage.checks:
            assert "✓" in symbolic, (stage.key, product)
            assert "✓" in numeric, (stage.key, product)
            assert "✗" not in symbolic + numeric, (stage.key, product)


def test_stage_numeric_checks_give_the_shapes_of_the_real_results():
    net, x, y, stages = stage_setup(batch=7, hidden=4, classes=3)
    by_key = {s.key: s for s in stages}
    assert by_key["forward-1"].checks[0] == ("X W₁", "(B×D)·(D×H) → (B×H) ✓", "(7×2)·(2×4) → (7×4) ✓")
    assert by_key["forward-1"].checks[1][2] == "(7×4) + (4) → (7×4) ✓ (b added to every row)"
    assert by_key["delta-3"].checks[0][1:] == ("(B×C)·(H×C)ᵀ → (B×H) ✓", "(7×3)·(4×3)ᵀ → (7×4) ✓")
    assert by_key["delta-3"].checks[1][2] == "(7×4) ⊙ (7×4) → (7×4) ✓"
    assert by_key["grad-1"].checks[0] == ("Xᵀ δ¹", "(B×D)ᵀ·(B×H) → (D×H) ✓", "(7×2)ᵀ·(7×4) → (2×4) ✓")
    assert by_key["grad-4"].checks[1][2] == "(1×7)·(7×3) → (1×3) ✓"


def test_stage_matrices_hold_the_network_numbers():
    net, x, y, stages = stage_setup()
    by_key = {s.key: s for s in stages}
    _, grads = net.loss_and_grads(x, y)
    names = {s.key: [m.name for m in s.matrices] for s in stages}
    assert names["forward-1"] == ["X", "W₁", "z₁", "a₁"]
    assert names["forward-4"] == ["a₃", "W₄", "z₄", "S(z₄)"]
    assert names["output"] == ["S(z₄)", "Y (one-hot)", "δ⁴"]
    assert names["delta-2"] == ["δ³", "W₃", "δ³ W₃ᵀ", "σ′(z₂)", "δ²"]
    assert names["grad-1"] == ["X", "δ¹", "∇W₁", "∇b₁"]
    np.testing.assert_array_equal(by_key["forward-1"].matrices[0].values, x)
    out = by_key["output"].matrices
    np.testing.assert_allclose(out[2].values, (out[0].values - out[1].values) / len(y), atol=1e-16)
    for k in (1, 2, 3, 4):
        grad = by_key[f"grad-{k}"].matrices
        np.testing.assert_array_equal(grad[2].values, grads[f"W{k}"])
        np.testing.assert_array_equal(grad[3].values, grads[f"b{k}"][None, :])
    d2 = by_key["delta-2"].matrices
    np.testing.assert_allclose(d2[4].values, d2[2].values * d2[3].values, atol=1e-16)


def test_stage_formulas_show_the_corrected_first_layer_gradient_and_the_loss():
    net, x, y, stages = stage_setup()
    by_key = {s.key: s for s in stages}
    assert by_key["grad-1"].formulas[0].startswith(r"\nabla_{W_1} L = X^\top \delta^{1}")
    assert by_key["grad-3"].formulas[0].startswith(r"\nabla_{W_{3}} L = \sigma(z_{2})^\top \delta^{3}")
    assert by_key["forward-1"].formulas[0] == r"z_{1} = X\,W_{1} + b_{1}"
    assert by_key["forward-2"].formulas[0] == r"z_{2} = a_{1}\,W_{2} + b_{2}"
    assert by_key["output"].formulas[0].endswith(f"B = {len(y)}")
    assert by_key["forward-4"].formulas[2].endswith(f"= {net.loss_value(x, y):.6f}")
    assert all("⟨" not in f for s in stages for f in s.formulas)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_delta_stages_show_the_activations_derivative(activation):
    *_, stages = stage_setup(activation)
    delta = next(s for s in stages if s.key == "delta-2")
    assert delta.formulas[1] == ACTIVATION_TEX[activation][1]
    assert ACTIVATION_TEX[activation][0] in stages[0].formulas[1]


def test_stage_symbols_name_unequal_hidden_widths_separately():
    net = demo_network([2, 3, 4, 2])
    stages = backprop_stages(net, np.ones((5, 2)), np.array([0, 1, 0, 1, 0]))
    assert stages[0].matrices[1].symbols == ("D", "H₁")
    assert stages[1].matrices[1].symbols == ("H₁", "H₂")
    assert len(stages) == 9


def test_backprop_stages_rejects_probability_targets_and_non_nets():
    net = demo_network([2, 3, 2])
    with pytest.raises(ValueError, match="integer class indices"):
        backprop_stages(net, np.ones((2, 2)), np.array([[0.5, 0.5], [1.0, 0.0]]))
    with pytest.raises(ValueError, match="net must be an MLP; got dict"):
        backprop_stages({}, np.ones((2, 2)), [0, 1])
