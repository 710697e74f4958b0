"""Dimension checks of matrix products, as the text a student reads: ``(B×H)·(H×C) → (B×C) ✓``.

Sizes are integers (``(8, 3)``) or symbols (``("B", "H")``); the checks compare them and say what the
result's shape is, or why the product is not defined.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

__all__ = ["bias_add_check", "hadamard_check", "matmul_check", "row_sum_check", "shape_text"]


def shape_text(shape: Sequence, transposed: bool = False) -> str:
    """A shape as text, ``(8×3)``, with ``ᵀ`` when the matrix is transposed.

    >>> shape_text(("B", "H"), transposed=True)
    '(B×H)ᵀ'
    """
    text = "(" + "×".join(str(d) for d in shape) + ")"
    return text + ("ᵀ" if transposed else "")


def _check_shape_arg(shape, name: str) -> tuple:
    if isinstance(shape, str | bytes) or not isinstance(shape, Sequence) or len(shape) not in (1, 2):
        raise ValueError(f"{name} must be a shape of 1 or 2 sizes (ints or symbols like 'B'); got {shape!r}")
    for d in shape:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral | str):
            raise ValueError(f"{name} sizes must be integers or symbols; got {d!r}")
    return tuple(shape)


def matmul_check(left, right, *, transpose_left: bool = False, transpose_right: bool = False) -> str:
    """The dimension check of a matrix product, as text: ``(8×3)·(5×3)ᵀ → (8×5) ✓``.

    Sizes may be integers or symbols (``("B", "H")``); inner sizes must be equal to multiply.

    Parameters
    ----------
    left, right : tuple of 2 sizes
        Shapes of the factors before any transpose.
    transpose_left, transpose_right : bool, default False

    Returns
    -------
    str
        ``"(left)·(right) → (result) ✓"``, or ``"(left)·(right) ✗ inner sizes differ: 3 ≠ 5"``.

    Examples
    --------
    >>> matmul_check(("B", "H"), ("B", "C"), transpose_left=True)
    '(B×H)ᵀ·(B×C) → (H×C) ✓'
    >>> matmul_check((8, 3), (5, 3), transpose_right=True)
    '(8×3)·(5×3)ᵀ → (8×5) ✓'
    """
    left = _check_shape_arg(left, "left")
    right = _check_shape_arg(right, "right")
    if len(left) != 2 or len(right) != 2:
        raise ValueError(f"matmul_check takes 2-D shapes; got {left!r} and {right!r}")
    a = left[::-1] if transpose_left else left
    b = right[::-1] if transpose_right else right
    text = f"{shape_text(left, transpose_left)}·{shape_text(right, transpose_right)}"
    if a[1] != b[0]:
        return f"{text} ✗ inner sizes differ: {a[1]} ≠ {b[0]}"
    return f"{text} → {shape_text((a[0], b[1]))} ✓"


def hadamard_check(left, right, *, op: str = "⊙") -> str:
    """The dimension check of an element-wise operation: ``(B×H) ⊙ (B×H) → (B×H) ✓``.

    Parameters
    ----------
    left, right : tuple of sizes
    op : str, default "⊙"
        The operator to write, e.g. "−" for a difference.

    Examples
    --------
    >>> hadamard_check((8, 5), (8, 5))
    '(8×5) ⊙ (8×5) → (8×5) ✓'
    >>> hadamard_check((8, 5), (8, 4))
    '(8×5) ⊙ (8×4) ✗ shapes differ'
    """
    left = _check_shape_arg(left, "left")
    right = _check_shape_arg(right, "right")
    text = f"{shape_text(left)} {op} {shape_text(right)}"
    return f"{text} → {shape_text(left)} ✓" if left == right else f"{text} ✗ shapes differ"


def bias_add_check(matrix, bias) -> str:
    """The dimension check of adding a bias row to every row: ``(B×H) + (H) → (B×H) ✓``.

    Examples
    --------
    >>> bias_add_check(("B", "H"), ("H",))
    '(B×H) + (H) → (B×H) ✓ (b added to every row)'
    """
    matrix = _check_shape_arg(matrix, "matrix")
    bias = _check_shape_arg(bias, "bias")
    text = f"{shape_text(matrix)} + {shape_text(bias)}"
    if len(matrix) != 2 or len(bias) != 1 or matrix[1] != bias[0]:
        return f"{text} ✗ the bias must have one entry per column"
    return f"{text} → {shape_text(matrix)} ✓ (b added to every row)"


def row_sum_check(matrix) -> str:
    """The dimension check of summing the rows (the batch): ``1ᵀ(B×C) = (1×B)·(B×C) → (1×C) ✓``.

    Examples
    --------
    >>> row_sum_check((8, 3))
    '(1×8)·(8×3) → (1×3) ✓'
    """
    matrix = _check_shape_arg(matrix, "matrix")
    if len(matrix) != 2:
        raise ValueError(f"row_sum_check takes a 2-D shape; got {matrix!r}")
    return matmul_check((1, matrix[0]), matrix)
