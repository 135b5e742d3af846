"""Stage 1, sources: read the project's files — Markdown parts (one pandoc parse), metadata.yaml, the BibTeX and
CSL-JSON library — and, for the editor's check, a manuscript someone else wrote. Reading happens here only."""
