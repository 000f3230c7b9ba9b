"""Modal screens: help, the example picker and the program editor."""
