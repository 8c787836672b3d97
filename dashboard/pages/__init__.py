"""Page layouts (thin: components and ids, no data access)."""
