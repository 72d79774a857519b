"""The books feature: its ports and use cases."""
