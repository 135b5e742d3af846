"""Stage 2, citations: find every citation and cross reference in the parsed document (``reader``), number them
once (``numbering``, ``labels``) and say how a citation is printed (``marks``). The checker and every writer use
these numbers; nothing else decides one."""
