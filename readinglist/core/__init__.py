"""The UI-free core: library store, import formats, search and links."""
