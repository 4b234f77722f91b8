"""Models for this domain."""
__all__ = []
