"""The deterministic safety check that runs after every engine."""
