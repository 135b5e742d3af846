"""Build the manuscript in this directory (or ``-C DIR``): ``python build.py --help``."""
from mspress.cli import main

raise SystemExit(main())
