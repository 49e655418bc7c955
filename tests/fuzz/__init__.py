"""An outside-in stdio fuzzer for the language server (issue 9): see ``__main__`` and
``session``."""
