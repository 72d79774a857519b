"""The jobs feature: its ports and use cases."""
