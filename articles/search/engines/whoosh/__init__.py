"""The embedded engine: Whoosh files on disk, read through numpy columns (engine.py is the entry point)."""
