"""Read-only open-data JSON API (/api/v1)."""
