"""Text and number analysis for consultations: plain Python, no Django imports."""
