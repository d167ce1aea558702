"""The operators\x27 side of the matches in the API: their site\x27s pipeline."""
