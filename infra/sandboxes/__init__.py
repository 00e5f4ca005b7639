"""Local stand-ins for outside services (mounted by the local stack under /sandbox/<name>)."""
