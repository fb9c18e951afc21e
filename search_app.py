"""Gradio search app (placeholder until the search page lands)."""
