import pytest

from notebox.paging import page, page_count


def test_page_count_rounds_up():
    assert page_count(10, 3) == 4
    assert page_count(9, 3) == 3


def test_first_page_starts_at_first_item():
    assert page(list(range(10)), 1, 3)[0] == 0


def test_page_has_at_most_size_items():
    assert page(list(range(10)), 2, 3) == [3, 4, 5]


def test_page_numbers_start_at_one():
    with pytest.raises(ValueError):
        page([1, 2, 3], 0, 2)
