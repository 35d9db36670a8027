"""Importers: plain Python that reads open-data files and yields rows, reporting skips.

Nothing here imports Flask. `loading` writes what the readers yield to the database on a
SQLAlchemy Connection it is given.
"""
