"""Stage 5, writers: the resolved document as HTML (Jinja page) and PDF (WeasyPrint), and the one helper that
writes files. A new output format is a new module here that starts from ``ResolvedDocument``."""

OUTPUT_FORMATS = ("html", "pdf")
"""What ``mspress build`` writes (``--format`` picks among them)."""
