"""Real data in: read a user's file, map its headers, validate it, upsert it in one transaction."""
