"""Inside Weights: renders an explainer reel about model weights and distillation."""

__version__ = "0.1.0"
