"""Reusable test helpers: a local fake HTTP server and its pytest fixture."""
