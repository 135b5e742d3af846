"""``python -m mspress``: the same commands as ``mspress``."""
from mspress.cli import run

run()
