"""Sensor base classes with StackStorm's import path."""
