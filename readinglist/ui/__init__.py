"""The full-screen Textual app; everything here may import Textual, the core never imports this."""
