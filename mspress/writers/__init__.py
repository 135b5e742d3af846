"""Stage 5, writers: the resolved document as HTML (Jinja page), PDF (WeasyPrint) and Word (pandoc's docx writer
in the journal's styles), and the one helper that writes files. A new output format is a new module here that
starts from ``ResolvedDocument``."""

OUTPUT_FORMATS = ("html", "pdf", "docx")
"""What ``mspress build`` writes (``--format`` picks among them)."""
