"""Containment zones on the map: the box, its callbacks, adjustments, export."""
