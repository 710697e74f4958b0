"""words.shapes: dimension checks of matrix products as text, in symbols or numbers."""

import pytest

from words.shapes import bias_add_check, hadamard_check, matmul_check, row_sum_check, shape_text


def test_shape_checks_report_the_result_or_the_mismatch():
    assert matmul_check((8, 3), (5, 3)) == "(8×3)·(5×3) ✗ inner sizes differ: 3 ≠ 5"
    assert matmul_check(("B", "H"), ("H", "C")) == "(B×H)·(H×C) → (B×C) ✓"
    assert hadamard_check(("B", "H"), ("B", "H"), op="−") == "(B×H) − (B×H) → (B×H) ✓"
    assert hadamard_check((2, 3), (3, 2)) == "(2×3) ⊙ (3×2) ✗ shapes differ"
    assert bias_add_check((4, 3), (2,)) == "(4×3) + (2) ✗ the bias must have one entry per column"
    assert row_sum_check(("B", "C")) == "(1×B)·(B×C) → (1×C) ✓"


def test_a_transposed_factor_is_marked_and_its_sizes_swapped():
    assert matmul_check(("B", "H"), ("B", "C"), transpose_left=True) == "(B×H)ᵀ·(B×C) → (H×C) ✓"
    assert shape_text((8, 3), transposed=True) == "(8×3)ᵀ"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: matmul_check((2, 3, 4), (4, 2)), r"left must be a shape of 1 or 2 sizes"),
        (lambda: matmul_check((3,), (3, 2)), r"matmul_check takes 2-D shapes"),
        (lambda: hadamard_check("BH", (2, 2)), r"left must be a shape"),
        (lambda: bias_add_check((2, 2), (1.5,)), r"bias sizes must be integers or symbols; got 1.5"),
        (lambda: row_sum_check((3,)), r"row_sum_check takes a 2-D shape"),
    ],
)
def test_shape_checks_reject_bad_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()
