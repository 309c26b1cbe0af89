"""Hiresight: self-hosted AI screening interviews and talent matching."""

__version__ = "0.1.0"
