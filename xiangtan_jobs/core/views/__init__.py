"""Public pages of the shared nouns: the job list and detail, registration, login."""
