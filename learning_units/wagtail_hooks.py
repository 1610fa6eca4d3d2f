"""Admin menus and viewsets of the learning_units app."""
