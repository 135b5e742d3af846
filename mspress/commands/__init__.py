"""The commands, apart from the stages they orchestrate: ``build``, ``check`` and ``refs`` (``cli`` parses the
command line and maps errors to the exit-code table)."""
