"""Any CSL style instead of GB/T 7714: a profile's ``csl = "styles/vancouver.csl"``.

``style`` reads and checks the file (lxml only, at configuration time, so ``check`` reports a broken style);
``engine`` formats with citeproc-py, imported only when a build or ``refs`` formats with a CSL style.
"""
