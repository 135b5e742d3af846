"""Stage 5, writers: the resolved document as HTML (Jinja page) and PDF (WeasyPrint), and the one helper that
writes files. A new output format is a new module here that starts from ``ResolvedDocument``."""
