"""The seekers\x27 side of the API: the public job list (the portal\x27s filters and order) and /me/."""
