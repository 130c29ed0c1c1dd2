"""Ecosystems (生态群落): networks, communities and their evolution, hubs and chain leaders."""
