"""The HTTP side of the jobs feature: its controller and bodies."""
