"""Rules of the domain in plain Python: nothing here imports Flask."""
