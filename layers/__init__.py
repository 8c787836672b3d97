"""What the map can show: declarative layers and their registry (no Dash here)."""
