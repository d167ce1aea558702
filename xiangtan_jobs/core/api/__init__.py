"""The API of the shared nouns: reference lists (public) and the operators' site work."""
