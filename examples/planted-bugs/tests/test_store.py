from notebox.store import NoteStore, count_lines


def test_saved_note_reads_back(tmp_path):
    store = NoteStore(str(tmp_path / "notes"))
    store.save_note("todo", "buy milk\n")
    assert store.read_note("todo") == "buy milk\n"
    assert store.names() == ["todo"]


def test_count_lines(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("a\nb\nc\n")
    assert count_lines(str(path)) == 3
