"""One module per graph node: prepare, scout, investigate, verify, report."""
