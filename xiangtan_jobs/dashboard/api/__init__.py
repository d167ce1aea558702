"""The bureau's KPIs over the API (the dashboard's own figures)."""
