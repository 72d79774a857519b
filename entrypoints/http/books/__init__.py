"""The HTTP side of the books feature: its controller and bodies."""
