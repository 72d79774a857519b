"""The accounts feature: its ports and use cases."""
