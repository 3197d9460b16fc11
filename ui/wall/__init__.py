"""The wall page (/wall): one module per display mode, and what they share."""
