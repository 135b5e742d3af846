"""Build the manuscript in this directory: ``python build.py [build|check|refs] …`` takes the commands of ``mspress``."""
from mspress.cli import run

run(prog="build.py")
