"""mspress: bilingual manuscript builds for Chinese journal articles."""

__version__ = "0.1.0"
