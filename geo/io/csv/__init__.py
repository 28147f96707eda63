"""CSV with coordinates: dialect, encoding and column detection, and reading points."""
