"""A module next to the sensor, imported the way pack sensors do."""


def label(n):
    return "poll #%d" % n
