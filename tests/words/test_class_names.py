"""words.class_names: class names typed by a student, made safe, and the emoji of the default names."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.defaults import DEFAULT_CLASS_NAMES
from words.class_names import MAX_NAME_LENGTH, class_label, sanitize_class_names

ANIMALS = ["Cat", "Dog", "Bird", "Fish"]


def test_sanitize_keeps_good_names_and_fills_missing_ones_with_defaults():
    assert sanitize_class_names("Cat, Dog, Bird, Fish", 4) == (ANIMALS, [])
    assert sanitize_class_names("", 3) == (["Cat", "Dog", "Bird"], [])
    assert sanitize_class_names("Zebra, Cat", 4) == (["Zebra", "Cat", "Dog", "Bird"], [])
    assert sanitize_class_names("  Sea lion ,Koi-fish ", 2) == (["Sea lion", "Koi-fish"], [])
    assert sanitize_class_names("🦄 Unicorn, Chat", 2)[0] == ["🦄 Unicorn", "Chat"]


@pytest.mark.parametrize(
    ("text", "expected_name", "reason"),
    [
        ("Cat, <script>", "Dog", "uses characters other than"),
        ("Cat, **bold**", "Dog", "uses characters other than"),
        ("Cat, [x](js:a)", "Dog", "uses characters other than"),
        ("Cat, $x^2$", "Dog", "uses characters other than"),
        ("Cat, a&b", "Dog", "uses characters other than"),
        ("Cat, \u202eevil", "Dog", "uses characters other than"),
        ("Cat, " + "x" * (MAX_NAME_LENGTH + 1), "Dog", "is longer than 16 characters"),
        ("Cat, CAT", "Dog", "repeats an earlier name"),
        ("Cat, - list item", "Dog", "starts with punctuation"),
        ("Cat, .x", "Dog", "starts with punctuation"),
        ("Cat, , Bird", "Dog", "is empty"),
    ],
)
def test_sanitize_replaces_unsafe_long_duplicate_or_empty_names_and_says_why(text, expected_name, reason):
    names, notes = sanitize_class_names(text, 3)
    assert names[1] == expected_name
    assert len(notes) == 1
    assert notes[0].startswith("Name 2")
    assert reason in notes[0]
    assert notes[0].endswith(f"using {expected_name!r}.")


def test_sanitize_never_reuses_a_default_the_user_typed():
    names, _ = sanitize_class_names("Dog, <b>, Cat", 4)
    assert names == ["Dog", "Bird", "Cat", "Fish"]


def test_sanitize_ignores_extra_names_with_a_note():
    names, notes = sanitize_class_names("A, B, C", 2)
    assert names == ["A", "B"]
    assert notes == ["Only the first 2 names are used (3 were given)."]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), n=st.integers(1, 10))
def test_sanitize_always_returns_n_distinct_safe_names(text, n):
    names, _ = sanitize_class_names(text, n)
    assert len(names) == n
    assert len({name.lower() for name in names}) == n
    for name in names:
        assert 0 < len(name) <= MAX_NAME_LENGTH
        assert not set(name) & set("<>&*_[]()`$#|\\{}~!:,\n\r\t")
        assert name[0] not in "-'. "


def test_sanitize_validates_its_arguments():
    with pytest.raises(ValueError, match="text must be a string"):
        sanitize_class_names(None, 3)
    with pytest.raises(ValueError, match=r"n must be an integer in \[1, 10\]; got 11"):
        sanitize_class_names("", 11)


def test_class_label_adds_the_animal_emoji_to_default_names_only():
    assert class_label("Cat") == "🐱 Cat"
    assert class_label("OWL") == "🦉 OWL"
    assert class_label("Zebra") == "Zebra"
    assert len(DEFAULT_CLASS_NAMES) == 10
    assert all(class_label(n) != n for n in DEFAULT_CLASS_NAMES)
