"""Reads shared by pages, the API, feeds and commands: plain functions over the models
that return rows or model objects. No writes, no rendering, no request state."""
