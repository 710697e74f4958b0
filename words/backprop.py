"""The Backpropagation page's stages: each forward and backward step as a title, LaTeX and named matrices.

:func:`core.mlp.backprop_trace` computes the numbers of one pass; :func:`backprop_stages` names them for
a student: the formula of each step, the matrices it shows (with their shapes in symbols B, D, H, C) and
the dimension check of each product (:mod:`words.shapes`), computed from the real shapes.

Layers are numbered l = 1 … N; the loss is L.  (N, not L, counts the layers, so that δ⁽ᴺ⁾ = ∂L/∂z_N
never reads as "δ of the loss".)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core.formatting import subscript, superscript
from core.mlp import MLP, backprop_trace
from words.shapes import bias_add_check, hadamard_check, matmul_check, row_sum_check

__all__ = ["ACTIVATION_TEX", "Matrix", "Stage", "backprop_stages"]


class Matrix(NamedTuple):
    """A matrix shown on the Backpropagation page.

    Attributes
    ----------
    name : str
        Plain text with Unicode sub/superscripts, e.g. ``"δ³"``, ``"W₂"``, ``"∇b₄"``.
    values : ndarray, 2-D
        A bias is shown as a ``(1, n)`` row.
    symbols : tuple of str
        Its shape in symbols, e.g. ``("B", "H")``.
    """

    name: str
    values: np.ndarray
    symbols: tuple[str, ...]

    @property
    def shape_text(self) -> str:
        """``"B×H = 8×5"``."""
        return f"{'×'.join(self.symbols)} = {'×'.join(str(d) for d in self.values.shape)}"


class Stage(NamedTuple):
    """One step of the forward or backward pass.

    Attributes
    ----------
    key : str
        ``"forward-1"`` … ``"forward-N"``, ``"output"``, ``"grad-N"``, ``"delta-(N-1)"``, … ``"grad-1"``.
    direction : {"Forward", "Backward"}
    title : str
        Plain text, e.g. ``"Backward: δ³ from δ⁴"``.
    formulas : tuple of str
        LaTeX, one equation each.
    matrices : tuple of Matrix
        The operands, then the results.
    checks : tuple of (str, str, str)
        ``(product, symbolic check, numeric check)``, e.g. ``("δ⁴ W₄ᵀ", "(B×C)·(H×C)ᵀ → (B×H) ✓",
        "(8×3)·(5×3)ᵀ → (8×5) ✓")``.
    """

    key: str
    direction: str
    title: str
    formulas: tuple[str, ...]
    matrices: tuple[Matrix, ...]
    checks: tuple[tuple[str, str, str], ...]


def _symbols(sizes: tuple[int, ...]) -> list[str]:
    """Symbols of the layer widths: D, then H (or H₁, H₂, … if the hidden widths differ), then C."""
    hidden = sizes[1:-1]
    same = len(set(hidden)) <= 1
    return ["D"] + [("H" if same else f"H{subscript(k)}") for k in range(1, len(sizes) - 1)] + ["C"]


# LaTeX of σ and σ' for each activation.
ACTIVATION_TEX: dict[str, tuple[str, str]] = {
    "relu": (r"\sigma(z) = \max(0, z)", r"\sigma'(z) = [z > 0] \quad (0 \text{ at } z = 0)"),
    "tanh": (r"\sigma(z) = \tanh z", r"\sigma'(z) = 1 - \tanh^2 z"),
    "sigmoid": (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)"),
    "leaky_relu": (
        r"\sigma(z) = \max(0.01 z, z)",
        r"\sigma'(z) = 1 \text{ for } z > 0, \; 0.01 \text{ otherwise}",
    ),
}

# LaTeX templates of the stages; ⟨l⟩, ⟨l-1⟩ and ⟨l+1⟩ are filled with layer numbers by _tex.
_TEX_Z = r"z_{⟨l⟩} = ⟨a⟩\,W_{⟨l⟩} + b_{⟨l⟩}"
_TEX_A = r"a_{⟨l⟩} = \sigma(z_{⟨l⟩})"
_TEX_SOFTMAX = r"S(z_{⟨l⟩})_{ic} = \frac{e^{z_{ic}}}{\sum_{j=1}^{C} e^{z_{ij}}}"
_TEX_LOSS = r"L = -\frac{1}{B} \sum_{i=1}^{B} \log S(z_{⟨l⟩})_{i,\,y_i}"
_TEX_OUTPUT = r"\delta^{⟨l⟩} = \frac{\partial L}{\partial z_{⟨l⟩}} = \frac{1}{B}\,\bigl(S(z_{⟨l⟩}) - Y\bigr)"
_TEX_DELTA = r"\delta^{⟨l⟩} = \bigl(\delta^{⟨l+1⟩} W_{⟨l+1⟩}^\top\bigr) \odot \sigma'(z_{⟨l⟩})"
_TEX_GRAD_W = r"\nabla_{W_{⟨l⟩}} L = \sigma(z_{⟨l-1⟩})^\top \delta^{⟨l⟩} = a_{⟨l-1⟩}^\top \delta^{⟨l⟩}"
_TEX_GRAD_W1 = r"\nabla_{W_1} L = X^\top \delta^{1} \quad (\sigma(z_0) = X)"
_TEX_GRAD_B = r"\nabla_{b_{⟨l⟩}} L = \mathbf{1}^\top \delta^{⟨l⟩} = \sum_{i=1}^{B} \delta^{⟨l⟩}_{i}"


def _tex(template: str, k: int) -> str:
    """Fill a LaTeX template's layer numbers for layer ``k`` (a_0 is written X)."""
    a = "X" if k == 1 else f"a_{{{k - 1}}}"
    return (
        template.replace("⟨a⟩", a)
        .replace("⟨l-1⟩", str(k - 1))
        .replace("⟨l+1⟩", str(k + 1))
        .replace("⟨l⟩", str(k))
    )


def backprop_stages(net: MLP, X, target) -> list[Stage]:
    """Every forward and backward step of a network of N layers for one batch and cross-entropy loss.

    Runs :func:`core.mlp.backprop_trace` (cross-entropy, batch mean; this replaces the net's forward
    and backward cache) and returns, in order: N forward stages (z_l = a_{l−1} W_l + b_l, a_l = σ(z_l);
    the last gives the logits, S(z_N) and the loss), then 2N backward stages: δ⁽ᴺ⁾ = (S(z_N) − Y)/B,
    ∇W_N and ∇b_N, δ⁽ᴺ⁻¹⁾, ∇W_{N−1} and ∇b_{N−1}, …, δ¹, and ∇W₁ = Xᵀδ¹ with ∇b₁.  Each holds its LaTeX
    formulas, the matrices with their shapes in symbols (B, D, H, C) and the dimension check of each
    product, computed from the real shapes.

    Parameters
    ----------
    net, X, target
        Passed to :func:`core.mlp.backprop_trace`: an MLP of N layers, ``X`` ``(B, n_0)`` and integer class
        indices ``(B,)``.

    Returns
    -------
    list of Stage, 3N of them.

    Examples
    --------
    >>> stages = backprop_stages(MLP([2, 5, 5, 5, 3]), np.ones((8, 2)), np.arange(8) % 3)
    >>> len(stages), stages[5].title
    (12, 'Backward: ∇W₄ and ∇b₄')
    >>> stages[5].checks[0]
    ('a₃ᵀ δ⁴', '(B×H)ᵀ·(B×C) → (H×C) ✓', '(8×5)ᵀ·(8×3) → (5×3) ✓')
    """
    trace = backprop_trace(net, X, target)
    sizes = trace.layer_sizes
    n_layers = len(sizes) - 1
    zs, acts, deltas, params, grads = trace.zs, trace.activations, trace.deltas, trace.params, trace.grads
    n_batch = acts[0].shape[0]
    sym = _symbols(sizes)
    sigma_tex, dsigma_tex = ACTIVATION_TEX[trace.activation]
    sub, sup = subscript, superscript

    # Names, symbolic shapes and numeric shapes of the quantities of layer k.
    def a_name(k: int) -> str:
        return "X" if k == 0 else f"a{sub(k)}"

    def act_shape(k: int) -> tuple[str, str]:
        return ("B", sym[k])

    def act_nums(k: int) -> tuple[int, int]:
        return (n_batch, sizes[k])

    def a_matrix(k: int) -> Matrix:
        return Matrix(a_name(k), acts[k], act_shape(k))

    def w_matrix(k: int) -> Matrix:
        return Matrix(f"W{sub(k)}", params[f"W{k}"], (sym[k - 1], sym[k]))

    def delta_matrix(k: int) -> Matrix:
        return Matrix(f"δ{sup(k)}", deltas[k], act_shape(k))

    def forward_checks(k: int) -> tuple[tuple[str, str, str], ...]:
        return (
            (
                f"{a_name(k - 1)} W{sub(k)}",
                matmul_check(act_shape(k - 1), (sym[k - 1], sym[k])),
                matmul_check(act_nums(k - 1), sizes[k - 1 : k + 1]),
            ),
            (
                f"{a_name(k - 1)} W{sub(k)} + b{sub(k)}",
                bias_add_check(act_shape(k), (sym[k],)),
                bias_add_check(act_nums(k), (sizes[k],)),
            ),
        )

    stages: list[Stage] = []
    for k in range(1, n_layers):
        stages.append(
            Stage(
                f"forward-{k}",
                "Forward",
                f"Forward: layer {k}",
                (_tex(_TEX_Z, k), _tex(_TEX_A, k) + r", \qquad " + sigma_tex),
                (a_matrix(k - 1), w_matrix(k), Matrix(f"z{sub(k)}", zs[k], act_shape(k)), a_matrix(k)),
                forward_checks(k),
            )
        )
    k = n_layers
    probs_matrix = Matrix(f"S(z{sub(k)})", trace.probs, act_shape(k))
    stages.append(
        Stage(
            f"forward-{k}",
            "Forward",
            f"Forward: layer {k}, the logits and the loss",
            (
                _tex(_TEX_Z, k) + r" \quad \text{(linear: the logits)}",
                _tex(_TEX_SOFTMAX, k),
                _tex(_TEX_LOSS, k) + f" = {trace.loss:.6f}",
            ),
            (a_matrix(k - 1), w_matrix(k), Matrix(f"z{sub(k)}", zs[k], act_shape(k)), probs_matrix),
            forward_checks(k),
        )
    )
    stages.append(
        Stage(
            "output",
            "Backward",
            f"Backward: δ{sup(k)} = ∂L/∂z{sub(k)}, where the 1/B enters",
            (_tex(_TEX_OUTPUT, k) + rf", \qquad B = {n_batch}",),
            (probs_matrix, Matrix("Y (one-hot)", trace.onehot, act_shape(k)), delta_matrix(k)),
            (
                (
                    f"S(z{sub(k)}) − Y",
                    hadamard_check(act_shape(k), act_shape(k), op="−"),
                    hadamard_check(act_nums(k), act_nums(k), op="−"),
                ),
            ),
        )
    )
    for k in range(n_layers, 0, -1):
        if k < n_layers:
            stages.append(
                Stage(
                    f"delta-{k}",
                    "Backward",
                    f"Backward: δ{sup(k)} from δ{sup(k + 1)}",
                    (_tex(_TEX_DELTA, k), dsigma_tex),
                    (
                        delta_matrix(k + 1),
                        w_matrix(k + 1),
                        Matrix(f"δ{sup(k + 1)} W{sub(k + 1)}ᵀ", trace.back_products[k], act_shape(k)),
                        Matrix(f"σ′(z{sub(k)})", trace.derivatives[k], act_shape(k)),
                        delta_matrix(k),
                    ),
                    (
                        (
                            f"δ{sup(k + 1)} W{sub(k + 1)}ᵀ",
                            matmul_check(act_shape(k + 1), (sym[k], sym[k + 1]), transpose_right=True),
                            matmul_check(act_nums(k + 1), sizes[k : k + 2], transpose_right=True),
                        ),
                        (
                            f"(δ{sup(k + 1)} W{sub(k + 1)}ᵀ) ⊙ σ′(z{sub(k)})",
                            hadamard_check(act_shape(k), act_shape(k)),
                            hadamard_check(act_nums(k), act_nums(k)),
                        ),
                    ),
                )
            )
        stages.append(
            Stage(
                f"grad-{k}",
                "Backward",
                f"Backward: ∇W{sub(k)} and ∇b{sub(k)}",
                (_TEX_GRAD_W1 if k == 1 else _tex(_TEX_GRAD_W, k), _tex(_TEX_GRAD_B, k)),
                (
                    a_matrix(k - 1),
                    delta_matrix(k),
                    Matrix(f"∇W{sub(k)}", grads[f"W{k}"], (sym[k - 1], sym[k])),
                    Matrix(f"∇b{sub(k)}", grads[f"b{k}"].reshape(1, -1), ("1", sym[k])),
                ),
                (
                    (
                        f"{a_name(k - 1)}ᵀ δ{sup(k)}",
                        matmul_check(act_shape(k - 1), act_shape(k), transpose_left=True),
                        matmul_check(act_nums(k - 1), act_nums(k), transpose_left=True),
                    ),
                    (f"1ᵀ δ{sup(k)}", row_sum_check(act_shape(k)), row_sum_check(act_nums(k))),
                ),
            )
        )
    return stages
