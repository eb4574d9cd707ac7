"""hrtc: the technical-cooperation and capacity-building platform of HRC resolution 48/24."""

__version__ = "0.1.0"
