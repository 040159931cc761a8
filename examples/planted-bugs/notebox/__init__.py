"""notebox: plain-text notes in a directory."""

from notebox.paging import page, page_count
from notebox.store import NoteStore

__all__ = ["NoteStore", "page", "page_count"]
