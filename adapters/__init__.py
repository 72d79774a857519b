"""Adapters: one package per technology, each implementing ports of application/*/ports.py."""
