"""Synthetic people at county scale (registered with the generator in core)."""
