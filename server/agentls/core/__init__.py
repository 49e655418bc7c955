"""The pure analysis core: no pygls or lsprotocol imports, code-point offsets only."""
