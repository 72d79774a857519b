"""The HTTP side of the accounts feature: its controller and bodies."""
