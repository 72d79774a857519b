"""The composition root, one declarative container per feature (see entrypoints/container.py)."""
