"""Sign-in, roles and the guard every request passes (PIPL: minimum necessary access)."""
