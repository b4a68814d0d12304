"""Leaf Doctor."""

__version__ = "0.1"
