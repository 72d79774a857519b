"""In-memory adapters for every port: used by fast tests and as deterministic fakes."""
