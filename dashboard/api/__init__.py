"""HTTP API: /healthz, layers, map, operations, roster, zones, region export."""
