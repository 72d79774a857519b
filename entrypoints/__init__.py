"""Entrypoints: settings, the composition root, HTTP app, worker and CLI."""
