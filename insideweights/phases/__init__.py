"""The story: one module per phase of the reel, plus shared widgets."""
