"""Chinese typesetting rules for the PDF: inter-character justification, punctuation squeezing,
quarter-em spacing between Chinese and Latin text. ``spacing`` is pure; ``weasyprint_patch`` applies it."""
