"""Form fields and forms shared by several blueprints (staff publishing, confirmations)."""
