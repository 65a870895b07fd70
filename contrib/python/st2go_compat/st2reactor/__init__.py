"""st2go stand-in for StackStorm's st2reactor package (sensor base classes)."""
