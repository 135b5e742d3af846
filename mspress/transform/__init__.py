"""Stage 4, transform: the resolved document — citation marks, cross references, numbered headings, captions,
embedded figures and the reference list as plain pandoc AST nodes, with no output format's markup."""
