"""Linking: SDG goal and human-rights theme links of recommendations, pledges and activities.

Each link records where it came from (`human`, `model`, `import`), the classifier version and its
confidence. A classifier trained by `hrtc train-linker` from shipped labelled data suggests links;
people accept or reject them, and a human decision always wins over the model: re-classification
never touches a link a person added, accepted or removed.
"""
