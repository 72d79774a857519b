"""The HTTP API: a Litestar app over the use cases."""
