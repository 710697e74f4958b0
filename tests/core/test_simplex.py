"""The probability simplex: geometry, grids, the loss landscape, gradient descent and temperature paths."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.functional import softmax
from core.gradcheck import gradcheck
from core.information import entropy
from core.losses import cross_entropy, cross_entropy_grad
from core.multiclass import multiclass_breakdown
from core.simplex import (
    CORNERS,
    HEIGHT,
    SimplexGrid,
    corner_gradient_norms,
    cross_entropy_and_grad,
    cross_entropy_surface,
    cross_entropy_to,
    descent_path,
    lattice_points,
    logit_gradient,
    logit_sweep,
    max_stable_lr,
    point_readout,
    simplex_grid,
    smoothed_target,
    temperature_limit,
    temperature_path,
    temperature_sweep,
    to_barycentric,
    to_cartesian,
)

RNG = np.random.default_rng(0)

logit = st.floats(-6, 6, allow_nan=False)
logits3 = st.tuples(logit, logit, logit).map(np.array)
temperature = st.floats(0.2, 3.0)
true_class = st.integers(0, 2)
smoothing = st.floats(0.0, 1.0)


@st.composite
def distributions(draw, floor: float = 0.0):
    w = np.array([draw(st.floats(floor, 1.0)) for _ in range(3)])
    if w.sum() == 0:
        w = np.ones(3)
    return w / w.sum()


# ------------------------------------------------------------------------------------------- geometry
def test_corners_are_the_one_hot_predictions_on_an_equilateral_triangle_of_side_one():
    np.testing.assert_array_equal(to_cartesian(np.eye(3)), CORNERS)
    sides = [np.linalg.norm(CORNERS[a] - CORNERS[b]) for a, b in ((0, 1), (1, 2), (2, 0))]
    np.testing.assert_allclose(sides, 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(CORNERS[0], [0.5, math.sqrt(3) / 2])


def test_uniform_prediction_is_the_centroid():
    np.testing.assert_allclose(to_cartesian([1 / 3] * 3), [0.5, HEIGHT / 3], atol=1e-15)


def test_edge_midpoints_are_halfway_between_two_corners():
    np.testing.assert_allclose(to_cartesian([0.5, 0.5, 0.0]), [0.25, HEIGHT / 2], atol=1e-15)
    np.testing.assert_allclose(to_barycentric([0.75, HEIGHT / 2]), [0.5, 0.0, 0.5], atol=1e-15)


@given(distributions())
def test_to_barycentric_inverts_to_cartesian(q):
    np.testing.assert_allclose(to_barycentric(to_cartesian(q)), q, atol=1e-12)


def test_to_cartesian_maps_a_difference_to_the_arrow_between_the_points():
    p, y = np.array([0.2, 0.5, 0.3]), np.array([0.8, 0.1, 0.1])
    np.testing.assert_allclose(to_cartesian(y - p), to_cartesian(y) - to_cartesian(p), atol=1e-15)


def test_points_outside_the_triangle_get_a_negative_coordinate():
    assert to_barycentric([1.2, 0.1]).min() < 0
    assert to_barycentric([0.5, -0.1])[0] < 0


@pytest.mark.parametrize(
    ("func", "bad", "match"),
    [
        (
            to_cartesian,
            [0.5, 0.5],
            r"q must hold barycentric coordinates .* shape \(\.\.\., 3\); got shape \(2,\)",
        ),
        (to_cartesian, 1.0, r"q must hold barycentric coordinates .*; got shape \(\)"),
        (to_cartesian, [0.5, np.nan, 0.5], "q must be finite; got nan at position 1"),
        (to_barycentric, [0.1, 0.2, 0.3], r"xy must hold cartesian points \(x, y\) .*; got shape \(3,\)"),
    ],
)
def test_coordinate_maps_reject_wrong_shapes_and_non_finite_values(func, bad, match):
    with pytest.raises(ValueError, match=match):
        func(bad)


# ----------------------------------------------------------------------------------------------- grids
@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_simplex_grid_covers_the_triangle_with_exact_barycentric_coordinates(n):
    g = simplex_grid(n)
    assert g.x.shape == (2 * n + 1,)
    assert g.y.shape == (n + 1,)
    assert g.probs.shape == (n + 1, 2 * n + 1, 3)
    assert g.inside.shape == (n + 1, 2 * n + 1)
    assert g.inside.sum() == (n + 1) ** 2  # row j holds 2(n − j) + 1 points
    inside = g.probs[g.inside]
    assert inside.min() >= 0
    np.testing.assert_allclose(inside.sum(axis=-1), 1.0, rtol=0, atol=1e-15)
    assert np.isnan(g.probs[~g.inside]).all()
    xx, yy = np.meshgrid(g.x, g.y)
    np.testing.assert_allclose(to_cartesian(inside), np.stack([xx, yy], -1)[g.inside], atol=1e-12)


def test_simplex_grid_puts_exact_zeros_on_the_edges_and_the_corners_on_grid_points():
    g = simplex_grid(5)
    assert (g.probs[0][g.inside[0]][:, 0] == 0).all()  # the bottom row: q₀ = 0
    assert g.probs[0, 0].tolist() == [0.0, 1.0, 0.0]
    assert g.probs[0, -1].tolist() == [0.0, 0.0, 1.0]
    assert g.probs[-1, 5].tolist() == [1.0, 0.0, 0.0]
    right_edge = [g.probs[j, 10 - j, 1] for j in range(6)]  # m = 2n − j: q₁ = 0
    assert right_edge == [0.0] * 6


def test_lattice_points_are_the_grid_points_with_whole_lattice_steps():
    n = 6
    lattice = lattice_points(n)
    assert lattice.shape == ((n + 1) * (n + 2) // 2, 3)
    assert len({tuple(row) for row in (lattice * n).round().astype(int)}) == len(lattice)
    np.testing.assert_allclose(lattice.sum(axis=1), 1.0, atol=1e-15)
    g = simplex_grid(n)
    j, m = np.nonzero(g.inside)
    on_lattice = g.probs[j, m][(m - j) % 2 == 0]
    assert sorted(map(tuple, on_lattice.round(12))) == sorted(map(tuple, lattice.round(12)))


@pytest.mark.parametrize("func", [simplex_grid, lattice_points])
@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (0, r"resolution must be an integer in \[1, 2000\]; got 0"),
        (2001, r"resolution must be an integer in \[1, 2000\]; got 2001"),
        (2.0, "resolution must be an integer; got 2.0"),
        (True, "resolution must be an integer; got True"),
    ],
)
def test_grids_reject_a_bad_resolution(func, bad, match):
    with pytest.raises(ValueError, match=match):
        func(bad)


# ---------------------------------------------------------------------------------------------- target
@pytest.mark.parametrize(
    ("t", "eps", "expected"),
    [
        (0, 0.0, [1.0, 0.0, 0.0]),
        (1, 0.3, [0.1, 0.8, 0.1]),
        (2, 0.6, [0.2, 0.2, 0.6]),
        (0, 1.0, [1 / 3, 1 / 3, 1 / 3]),
    ],
)
def test_smoothed_target_hand_computed(t, eps, expected):
    np.testing.assert_allclose(smoothed_target(t, eps), expected, rtol=0, atol=1e-15)


@given(true_class, smoothing)
def test_smoothed_target_lies_a_fraction_eps_from_the_corner_to_the_centre(t, eps):
    drawn = to_cartesian(smoothed_target(t, eps))
    expected = (1 - eps) * CORNERS[t] + eps * to_cartesian([1 / 3] * 3)
    np.testing.assert_allclose(drawn, expected, atol=1e-12)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((3, 0.1), r"true_class must be an integer in \[0, 3\); got 3"),
        ((0, 1.5), r"label_smoothing must be in \[0, 1\]; got 1.5"),
        ((0, -0.1), r"label_smoothing must be in \[0, 1\]; got -0.1"),
        ((0, 0.1, 1), r"num_classes must be an integer in \[2, inf\); got 1"),
    ],
)
def test_smoothed_target_rejects_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        smoothed_target(*args)


# -------------------------------------------------------------------------------------------- surface
def test_cross_entropy_surface_with_a_one_hot_target_is_minus_log_q_true():
    g = simplex_grid(8)
    s = cross_entropy_surface([0.0, 1.0, 0.0], g)
    q1 = g.probs[..., 1][g.inside]
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(s[g.inside], -np.log(q1))
    assert np.isnan(s[~g.inside]).all()


def test_cross_entropy_surface_hand_computed():
    g = simplex_grid(4)  # row 2, column 4 is q = (1/2, 1/4, 1/4)
    assert g.probs[2, 4].tolist() == [0.5, 0.25, 0.25]
    s = cross_entropy_surface([0.8, 0.1, 0.1], g)
    assert s[2, 4] == pytest.approx(0.8 * math.log(2) + 0.2 * math.log(4), abs=1e-15)  # 0.8318
    assert s[2, 4] == pytest.approx(0.831777, abs=1e-6)


def test_cross_entropy_surface_is_infinite_on_the_edges_where_the_target_has_mass():
    g = simplex_grid(6)
    one_hot = cross_entropy_surface([1.0, 0.0, 0.0], g)
    assert np.isposinf(one_hot[0][g.inside[0]]).all()  # the edge opposite the true corner
    assert np.isfinite(one_hot[1:][g.inside[1:]]).all()  # every other point, the other edges too
    smoothed = cross_entropy_surface(smoothed_target(0, 0.1), g)
    edges = g.inside & ~np.roll(g.inside, 1, axis=1) | g.inside & ~np.roll(g.inside, -1, axis=1)
    edges[0] = g.inside[0]
    assert np.isposinf(smoothed[edges]).all()
    assert np.isfinite(smoothed[g.inside & ~edges]).all()


def test_cross_entropy_surface_is_smallest_at_the_target_where_it_equals_the_entropy():
    g = simplex_grid(10)
    target = smoothed_target(2, 0.3)  # (0.1, 0.1, 0.8): a lattice point of n = 10
    s = cross_entropy_surface(target, g)
    j, m = np.unravel_index(np.nanargmin(s), s.shape)
    np.testing.assert_allclose(g.probs[j, m], target, atol=1e-12)
    assert s[j, m] == pytest.approx(float(entropy(target)), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(distributions())
def test_cross_entropy_surface_never_falls_below_the_entropy_of_the_target(target):
    s = cross_entropy_surface(target, simplex_grid(12))
    assert np.nanmin(s) >= float(entropy(target)) - 1e-12


def test_cross_entropy_surface_matches_core_cross_entropy_inside_the_triangle():
    g = simplex_grid(9)
    target = smoothed_target(1, 0.25)
    interior = g.inside & (np.nan_to_num(g.probs, nan=0).min(axis=-1) > 0)
    q = g.probs[interior]
    expected = cross_entropy(np.log(q), np.tile(target, (len(q), 1)), reduction="none")
    np.testing.assert_allclose(cross_entropy_surface(target, g)[interior], expected, rtol=1e-13)


@pytest.mark.parametrize(
    ("target", "grid", "match"),
    [
        ([0.5, 0.5, 0.1], simplex_grid(2), "target must sum to 1 over its last axis; got a sum of 1.1"),
        ([1.0, 0.0], simplex_grid(2), r"target must be a distribution of shape \(3,\)"),
        ([1.5, -0.5, 0.0], simplex_grid(2), r"target must lie in \[0, 1\]; got 1.5 at position 0"),
        ([1.0, 0.0, 0.0], np.zeros((3, 5)), "grid must be a SimplexGrid from simplex_grid"),
    ],
)
def test_cross_entropy_surface_rejects_bad_arguments(target, grid, match):
    with pytest.raises(ValueError, match=match):
        cross_entropy_surface(target, grid)


def test_cross_entropy_to_is_infinite_where_the_target_has_mass_and_q_has_none():
    target = smoothed_target(0, 0.3)
    assert np.isposinf(cross_entropy_to(target, np.eye(3))).all()
    one_hot = cross_entropy_to([1.0, 0.0, 0.0], np.eye(3))
    assert one_hot[0] == 0.0
    assert not math.copysign(1, one_hot[0]) < 0
    assert np.isposinf(one_hot[1:]).all()
    g = simplex_grid(7)
    np.testing.assert_array_equal(
        cross_entropy_to(target, g.probs[g.inside]), cross_entropy_surface(target, g)[g.inside]
    )


@pytest.mark.parametrize(
    ("target", "probs", "match"),
    [
        ([1.0, 0.0, 0.0], [0.5, 0.6, 0.0], "probs must sum to 1"),
        ([1.0, 0.0], [0.5, 0.5, 0.0], r"target must be a distribution of shape \(3,\)"),
        ([1.0, 0.0, 0.0], [1.2, -0.2, 0.0], r"probs must lie in \[0, 1\]"),
    ],
)
def test_cross_entropy_to_rejects_bad_arguments(target, probs, match):
    with pytest.raises(ValueError, match=match):
        cross_entropy_to(target, probs)


def test_simplex_grid_is_a_named_tuple_of_arrays():
    g = simplex_grid(3)
    assert isinstance(g, SimplexGrid)
    assert g._fields == ("x", "y", "probs", "inside")


# ------------------------------------------------------------------------- loss and gradient in logits
@pytest.mark.parametrize("temp", [0.3, 1.0, 2.5])
@pytest.mark.parametrize("eps", [0.0, 0.2, 1.0])
def test_cross_entropy_and_grad_matches_finite_differences(temp, eps):
    target = smoothed_target(1, eps)
    for z in RNG.normal(size=(5, 3)) * 2:
        err = gradcheck(
            lambda v: cross_entropy_and_grad(v, target, temp)[0],
            lambda v: cross_entropy_and_grad(v, target, temp)[1],
            z,
        )
        assert err < 1e-7


@given(logits3, distributions(), temperature)
def test_cross_entropy_and_grad_equals_core_cross_entropy_of_the_scaled_logits(z, target, temp):
    loss, grad = cross_entropy_and_grad(z, target, temp)
    assert loss == pytest.approx(float(cross_entropy(z / temp, target)), abs=1e-12)
    np.testing.assert_allclose(grad, cross_entropy_grad(z / temp, target) / temp, atol=1e-12)


@given(logits3, distributions(), temperature, st.floats(-50, 50))
def test_gradient_sums_to_zero_and_a_common_shift_changes_nothing(z, target, temp, shift):
    loss, grad = cross_entropy_and_grad(z, target, temp)
    assert abs(grad.sum()) < 1e-12
    shifted_loss, shifted_grad = cross_entropy_and_grad(z + shift, target, temp)
    assert shifted_loss == pytest.approx(loss, abs=1e-9)
    np.testing.assert_allclose(shifted_grad, grad, atol=1e-9)


def test_cross_entropy_and_grad_is_finite_for_huge_logits():
    loss, grad = cross_entropy_and_grad([1000.0, -1000.0, 0.0], [0.0, 1.0, 0.0], 0.5)
    assert loss == pytest.approx(4000.0)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad, [2.0, -2.0, 0.0], atol=1e-12)


@pytest.mark.parametrize(("t", "eps", "temp"), [(0, 0.0, 1.0), (2, 0.15, 0.4), (1, 0.9, 3.0)])
def test_point_readout_agrees_with_the_multiclass_breakdown(t, eps, temp):
    z = np.array([1.3, -0.4, 2.2])
    r = point_readout(z, smoothed_target(t, eps), temp)
    b = multiclass_breakdown(z, t, temperature=temp, label_smoothing=eps)
    np.testing.assert_allclose(r.probs, b.probs, atol=1e-14)
    assert r.loss == pytest.approx(b.loss, abs=1e-13)
    np.testing.assert_allclose(r.grad, b.grad, atol=1e-14)
    assert r.grad_norm == pytest.approx(float(np.linalg.norm(b.grad)), abs=1e-14)


def test_logit_gradient_is_zero_at_the_right_corner_and_largest_at_a_wrong_corner():
    target = [1.0, 0.0, 0.0]
    norms = np.linalg.norm(logit_gradient(lattice_points(20), target), axis=1)
    lattice = lattice_points(20)
    assert norms[np.flatnonzero(lattice[:, 0] == 1)[0]] == 0
    largest = lattice[norms == norms.max()]
    assert sorted(map(tuple, largest)) == [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0)]
    assert norms.max() == pytest.approx(math.sqrt(2), abs=1e-15)


@pytest.mark.parametrize(
    ("target", "temp", "expected"),
    [
        ([1.0, 0.0, 0.0], 1.0, [0.0, math.sqrt(2), math.sqrt(2)]),
        ([1.0, 0.0, 0.0], 2.0, [0.0, math.sqrt(2) / 2, math.sqrt(2) / 2]),
        ([0.8, 0.1, 0.1], 1.0, [0.3 * math.sqrt(6) / 3, math.sqrt(0.8**2 + 0.9**2 + 0.1**2)] * 1),
    ],
)
def test_corner_gradient_norms_hand_computed(target, temp, expected):
    norms = corner_gradient_norms(target, temp)
    np.testing.assert_allclose(norms[: len(expected)], expected, atol=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: cross_entropy_and_grad([1.0, 2.0, 3.0], [1.0, 0.0]),
            r"target must be a distribution of shape \(3,\)",
        ),
        (lambda: cross_entropy_and_grad([1.0], [1.0]), r"logits must have shape \(C,\) with C >= 2"),
        (lambda: cross_entropy_and_grad([[1.0, 2.0]], [1.0, 0.0]), r"logits must have shape \(C,\)"),
        (
            lambda: cross_entropy_and_grad([1.0, 2.0], [1.0, 0.0], 0.0),
            r"temperature must be in \(0, inf\]; got 0",
        ),
        (lambda: cross_entropy_and_grad([1.0, np.inf], [1.0, 0.0]), "logits must be finite; got inf"),
        (lambda: logit_gradient([0.5, 0.6, 0.0], [1.0, 0.0, 0.0]), "probs must sum to 1"),
        (lambda: corner_gradient_norms([[1.0, 0.0]]), r"target must have shape \(C,\)"),
    ],
)
def test_loss_functions_reject_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ----------------------------------------------------------------------------------- gradient descent
@pytest.mark.parametrize(("lr", "temp"), [(1.0, 1.0), (0.5, 2.0), (3.0, 0.7)])
def test_first_step_from_the_uniform_guess_hand_computed(lr, temp):
    # z₁ = −η (1/3 − e_t)/T, so u₁ = z₁/T = (η/T²)(2/3, −1/3, −1/3) and q_t = 1 / (1 + 2 e^{−η/T²}).
    path = descent_path([0.0, 0.0, 0.0], [1.0, 0.0, 0.0], lr=lr, steps=1, temperature=temp)
    np.testing.assert_allclose(path.logits[1], lr / temp * np.array([2, -1, -1]) / 3, atol=1e-15)
    assert path.probs[1, 0] == pytest.approx(1 / (1 + 2 * math.exp(-lr / temp**2)), abs=1e-15)
    assert path.losses[0] == pytest.approx(math.log(3), abs=1e-15)


def test_descent_path_rows_are_consistent_with_the_loss_and_its_gradient():
    target = smoothed_target(0, 0.1)
    path = descent_path([1.0, 2.0, 0.0], target, lr=0.8, steps=12, temperature=1.5)
    assert path.logits.shape == path.probs.shape == path.grads.shape == (13, 3)
    assert path.losses.shape == (13,)
    for k in range(13):
        loss, grad = cross_entropy_and_grad(path.logits[k], target, 1.5)
        assert path.losses[k] == loss
        np.testing.assert_array_equal(path.grads[k], grad)
        np.testing.assert_allclose(path.probs[k], softmax(path.logits[k], temperature=1.5), atol=1e-15)
        if k:
            np.testing.assert_allclose(
                path.logits[k], path.logits[k - 1] - 0.8 * path.grads[k - 1], atol=1e-15
            )


def test_zero_steps_is_the_start_alone():
    path = descent_path([1.0, 2.0, 0.0], [1.0, 0.0, 0.0], lr=1.0, steps=0)
    assert path.logits.tolist() == [[1.0, 2.0, 0.0]]
    assert path.losses.shape == (1,)


@given(logits3, distributions(), temperature, st.integers(1, 30))
def test_descent_keeps_the_sum_of_the_logits(z, target, temp, steps):
    path = descent_path(z, target, lr=1.0, steps=steps, temperature=temp)
    np.testing.assert_allclose(path.logits.sum(axis=1), z.sum(), atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(logits3, distributions(), temperature, st.floats(0.01, 1.0), st.integers(1, 60))
def test_descent_never_raises_the_loss_up_to_the_stable_learning_rate(z, target, temp, fraction, steps):
    lr = fraction * max_stable_lr(temp)
    losses = descent_path(z, target, lr=lr, steps=steps, temperature=temp).losses
    assert (np.diff(losses) <= 1e-12 * np.maximum(1.0, losses[:-1])).all()


def test_descent_can_raise_the_loss_above_the_stable_learning_rate():
    temp = 0.5
    losses = descent_path(
        [0.0, 3.0, 0.0], smoothed_target(0, 0.2), lr=20 * max_stable_lr(temp), steps=40, temperature=temp
    ).losses
    assert (np.diff(losses) > 1e-6).any()


@settings(max_examples=40, deadline=None)
@given(logits3, true_class, st.floats(0.2, 1.0), temperature)
def test_descent_with_label_smoothing_stops_at_the_smoothed_target(z, t, eps, temp):
    target = smoothed_target(t, eps)
    path = descent_path(z, target, lr=3 * temp**2, steps=1500, temperature=temp)
    np.testing.assert_allclose(path.probs[-1], target, atol=1e-6)
    assert path.losses[-1] == pytest.approx(float(entropy(target)), abs=1e-9)
    np.testing.assert_allclose(path.grads[-1], 0.0, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(logits3, true_class, temperature)
def test_without_smoothing_descent_approaches_the_corner_and_slows_near_it(z, t, temp):
    path = descent_path(z, smoothed_target(t, 0.0), lr=temp**2, steps=400, temperature=temp)
    q_true = path.probs[:, t]
    assume(q_true[0] < 1 - 1e-9)  # a start already at the corner to float64's precision shows nothing
    assert (np.diff(q_true) >= -1e-12).all()  # always closer to the right corner
    assert q_true[-1] > 0.99
    assert (q_true < 1).all()  # near the corner, never on it
    step = np.linalg.norm(np.diff(path.probs, axis=0), axis=1)
    near = np.flatnonzero(q_true[:-1] >= 0.9)
    assert (np.diff(step[near]) <= 1e-15).all()  # each step in q no longer than the one before
    # Until rounding takes over, the step is about (η/T²)·c·(1 − q_t)² with c between √2 and 2√2.
    measurable = near[1 - q_true[near] > 1e-6]
    ratio = step[measurable] / (1 - q_true[measurable]) ** 2
    assert ((ratio > 1.0) & (ratio < 3.0)).all()


@given(logits3, distributions(), temperature, st.floats(0.1, 3.0))
def test_descent_path_depends_only_on_z_over_t_and_lr_over_t_squared(z, target, temp, ratio):
    path = descent_path(z, target, lr=ratio * temp**2, steps=15, temperature=temp)
    unit = descent_path(z / temp, target, lr=ratio, steps=15, temperature=1.0)
    np.testing.assert_allclose(path.probs, unit.probs, atol=1e-12)
    np.testing.assert_allclose(path.losses, unit.losses, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": 0.0}, r"lr must be in \(0, inf\]; got 0"),
        ({"steps": -1}, r"steps must be an integer in \[0, inf\); got -1"),
        ({"steps": 2.0}, "steps must be an integer; got 2.0"),
        ({"temperature": -1.0}, r"temperature must be in \(0, inf\]; got -1"),
        ({"target": [0.5, 0.5, 0.5]}, "target must sum to 1"),
        ({"logits": [[0.0, 1.0, 2.0]]}, r"logits must have shape \(C,\)"),
    ],
)
def test_descent_path_rejects_bad_arguments(kwargs, match):
    args = {"logits": [0.0, 1.0, 2.0], "target": [1.0, 0.0, 0.0], "lr": 1.0, "steps": 5} | kwargs
    with pytest.raises(ValueError, match=match):
        descent_path(**args)


@settings(max_examples=30, deadline=None)
@given(logits3, distributions(), st.floats(0.1, 3.0), st.integers(0, 25))
def test_temperature_sweep_rows_are_the_single_temperature_results(z, target, lr, steps):
    temps = np.array([0.1, 0.7, 1.0, 4.9])
    sweep = temperature_sweep(z, target, temps, lr, steps)
    assert sweep.path_probs.shape == (4, steps + 1, 3)
    assert sweep.path_losses.shape == (4, steps + 1)
    for i, temp in enumerate(temps):
        path = descent_path(z, target, lr, steps, temp)
        np.testing.assert_allclose(sweep.path_probs[i], path.probs, rtol=0, atol=1e-13)
        np.testing.assert_allclose(sweep.path_losses[i], path.losses, rtol=1e-13, atol=1e-13)
        now = point_readout(z, target, temp)
        np.testing.assert_allclose(sweep.probs[i], now.probs, atol=1e-15)
        assert sweep.losses[i] == pytest.approx(now.loss, abs=1e-13)
        np.testing.assert_allclose(sweep.grads[i], now.grad, atol=1e-15)


def test_temperature_sweep_rejects_bad_temperatures_and_steps():
    with pytest.raises(ValueError, match="temperatures must all be > 0; got 0 at position 1"):
        temperature_sweep([0.0, 1.0, 2.0], [1.0, 0.0, 0.0], [1.0, 0.0], 1.0, 3)
    with pytest.raises(ValueError, match=r"steps must be an integer in \[0, inf\); got -2"):
        temperature_sweep([0.0, 1.0, 2.0], [1.0, 0.0, 0.0], [1.0], 1.0, -2)


@settings(max_examples=30, deadline=None)
@given(logits3, distributions(), st.integers(0, 2), temperature, st.floats(0.1, 3.0), st.integers(0, 25))
def test_logit_sweep_rows_are_the_single_logit_results(z, target, index, temp, lr, steps):
    values = np.array([-6.0, -0.3, 0.0, 2.5, 6.0])
    sweep = logit_sweep(z, index, values, target, temp, lr, steps)
    assert sweep.path_probs.shape == (5, steps + 1, 3)
    for i, value in enumerate(values):
        at = z.copy()
        at[index] = value
        np.testing.assert_array_equal(sweep.logits[i], at)
        path = descent_path(at, target, lr, steps, temp)
        np.testing.assert_allclose(sweep.path_probs[i], path.probs, rtol=0, atol=1e-13)
        np.testing.assert_allclose(sweep.path_losses[i], path.losses, rtol=1e-13, atol=1e-13)
        now = point_readout(at, target, temp)
        np.testing.assert_allclose(sweep.probs[i], now.probs, atol=1e-15)
        assert sweep.losses[i] == pytest.approx(now.loss, abs=1e-13)
        np.testing.assert_allclose(sweep.grads[i], now.grad, atol=1e-15)


def test_logit_sweep_hand_computed_and_rejects_bad_arguments():
    sweep = logit_sweep([0.0, 0.0, 0.0], 1, [0.0, math.log(2)], [0.0, 1.0, 0.0], 1.0, 1.0, 0)
    np.testing.assert_allclose(sweep.probs[:, 1], [1 / 3, 1 / 2], atol=1e-15)  # e^{z} / (e^{z} + 2)
    np.testing.assert_allclose(sweep.losses, [math.log(3), math.log(2)], atol=1e-15)
    with pytest.raises(ValueError, match=r"index must be an integer in \[0, 3\)"):
        logit_sweep([0.0, 1.0, 2.0], 3, [1.0], [1.0, 0.0, 0.0], 1.0, 1.0, 3)
    with pytest.raises(ValueError, match="values must be a non-empty 1-D array"):
        logit_sweep([0.0, 1.0, 2.0], 0, [], [1.0, 0.0, 0.0], 1.0, 1.0, 3)
    with pytest.raises(ValueError, match="values"):
        logit_sweep([0.0, 1.0, 2.0], 0, [1.0, float("nan")], [1.0, 0.0, 0.0], 1.0, 1.0, 3)
    with pytest.raises(ValueError, match="temperature"):
        logit_sweep([0.0, 1.0, 2.0], 0, [1.0], [1.0, 0.0, 0.0], 0.0, 1.0, 3)


# ---------------------------------------------------------------------------------------- temperature
def test_temperature_path_hand_computed():
    q = temperature_path([1.0, 0.0, 0.0], [1.0, 0.5, 2.0])
    expected = [1 / (1 + 2 * math.exp(-1 / t)) for t in (1.0, 0.5, 2.0)]
    np.testing.assert_allclose(q[:, 0], expected, atol=1e-15)


@given(logits3, st.lists(st.floats(0.01, 100.0), min_size=1, max_size=8))
def test_temperature_path_rows_are_softmax_at_each_temperature(z, temps):
    q = temperature_path(z, temps)
    for row, t in zip(q, temps, strict=True):
        np.testing.assert_allclose(row, softmax(z, temperature=t), atol=1e-12)


@pytest.mark.parametrize(
    ("z", "limit"),
    [
        ([1.0, 3.0, 0.5], [0.0, 1.0, 0.0]),
        ([2.0, 2.0, -1.0], [0.5, 0.5, 0.0]),
        ([0.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]),
    ],
)
def test_temperature_path_runs_from_the_argmax_corner_to_the_centre(z, limit):
    np.testing.assert_allclose(temperature_limit(z), limit, atol=1e-15)
    q = temperature_path(z, [1e-300, 1e-3, 1e4])
    np.testing.assert_allclose(q[0], limit, atol=1e-15)
    np.testing.assert_allclose(q[1], limit, atol=1e-12)
    np.testing.assert_allclose(q[2], [1 / 3] * 3, atol=1e-3)


@given(logits3)
def test_entropy_along_the_temperature_path_never_decreases(z):
    q = temperature_path(z, np.geomspace(0.01, 100, 200))
    assert (np.diff(entropy(q)) >= -1e-12).all()


@pytest.mark.parametrize(
    ("temps", "match"),
    [
        ([1.0, 0.0], "temperatures must all be > 0; got 0 at position 1"),
        ([-2.0], "temperatures must all be > 0; got -2 at position 0"),
        ([], r"temperatures must be a non-empty 1-D array; got shape \(0,\)"),
        ([[1.0]], r"temperatures must be a non-empty 1-D array; got shape \(1, 1\)"),
        ([1.0, np.nan], "temperatures must be finite"),
    ],
)
def test_temperature_path_rejects_bad_temperatures(temps, match):
    with pytest.raises(ValueError, match=match):
        temperature_path([0.0, 1.0, 2.0], temps)


# --------------------------------------------------------------------------------------------- torch
@pytest.mark.torch
@pytest.mark.parametrize(("t", "eps", "temp"), [(0, 0.0, 1.0), (1, 0.1, 0.5), (2, 0.6, 2.0)])
def test_loss_and_gradient_match_torch_autograd(t, eps, temp):
    torch = pytest.importorskip("torch")
    target = smoothed_target(t, eps)
    for z in RNG.normal(size=(4, 3)) * 3:
        zt = torch.tensor(z, requires_grad=True)
        ref = torch.nn.functional.cross_entropy(zt / temp, torch.tensor(target))
        ref.backward()
        loss, grad = cross_entropy_and_grad(z, target, temp)
        assert loss == pytest.approx(ref.item(), abs=1e-12)
        np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=0, atol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize(
    ("t", "eps", "temp", "lr"), [(0, 0.0, 1.0, 1.0), (1, 0.2, 0.6, 0.5), (2, 0.5, 2.0, 6.0)]
)
def test_descent_path_matches_torch_sgd(t, eps, temp, lr):
    torch = pytest.importorskip("torch")
    z0, target, steps = np.array([1.0, 2.0, 0.0]), smoothed_target(t, eps), 25
    zt = torch.tensor(z0, requires_grad=True)
    opt = torch.optim.SGD([zt], lr=lr)
    ref_logits, ref_losses = [z0.copy()], []
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(zt / temp, torch.tensor(target))
        ref_losses.append(loss.item())
        loss.backward()
        opt.step()
        ref_logits.append(zt.detach().numpy().copy())
    path = descent_path(z0, target, lr=lr, steps=steps, temperature=temp)
    np.testing.assert_allclose(path.logits, np.array(ref_logits), rtol=0, atol=1e-12)
    np.testing.assert_allclose(path.losses[:-1], ref_losses, rtol=0, atol=1e-12)
