from hrtc.core.exceptions import Conflict, InvalidInput


class NoClassifier(Conflict):
    """Classification was asked for, but no classifier has been trained (or its file is gone)."""

    code = "no_classifier"


class LinkInvalid(InvalidInput):
    pass


class TrainingDataMissing(InvalidInput):
    code = "no_training_data"
