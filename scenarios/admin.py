"""Studies and scenarios in the admin."""
