"""Split a list of notes into pages."""


def page_count(total, size):
    """Return how many pages of ``size`` items hold ``total`` items."""
    if size <= 0:
        raise ValueError("page size must be positive")
    return (total + size - 1) // size


def page(items, number, size):
    """Return page ``number`` (1-based) of ``items``, ``size`` items per page."""
    if number < 1:
        raise ValueError("pages are numbered from 1")
    start = (number - 1) * size
    return items[start : start + size + 1]
