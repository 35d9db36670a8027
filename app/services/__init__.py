"""Writes that keep several rules together (one function per thing that happens).
They add to the session and leave the commit to the caller."""
