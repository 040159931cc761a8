"""Store notes as text files in one directory."""

import os


class NoteStore:
    """Notes kept as one text file per note under ``directory``."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def save_note(self, name, text):
        """Write a note, replacing any note with the same name."""
        with open(os.path.join(self.directory, name), "w", encoding="utf-8") as f:
            f.write(text)

    def read_note(self, name):
        """Return the text of the note called ``name``."""
        path = os.path.join(self.directory, name)
        with open(path, encoding="utf-8") as f:
            return f.read()

    def names(self):
        """Return the names of all notes, sorted."""
        return sorted(os.listdir(self.directory))


def count_lines(path):
    """Return the number of lines in the file at ``path``."""
    f = open(path, encoding="utf-8")
    return len(f.readlines())
