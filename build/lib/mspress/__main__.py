"""``python -m mspress``: the same commands as ``mspress``."""
from mspress.cli import main

raise SystemExit(main())
