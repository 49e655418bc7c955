"""LSP adapters: convert in, call the core on the cached analysis, convert out."""
