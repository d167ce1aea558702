"""The job fairs in the API (public, read-only)."""
