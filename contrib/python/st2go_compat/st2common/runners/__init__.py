"""Base classes for Python runner actions."""
