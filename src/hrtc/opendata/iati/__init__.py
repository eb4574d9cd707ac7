"""IATI 2.03 for hrtc: codelists, the streaming activity and organisation writers, the validator (the
official XSD plus the rules it cannot express) and the streaming importer.

* ``codelists``: the IATI codelists hrtc uses, read from copies in ``hrtc/opendata/data`` (see SOURCE.md).
* ``mapping``: hrtc records → IATI data (``IatiActivity``), including the documented derivations (themes →
  DAC sectors, gender marker → policy marker 1, fund grants → transactions).
* ``export``: ``write_activities(activities, fileobj)`` and ``write_organisations(...)`` — incremental
  writers (``lxml.etree.xmlfile``), one activity in memory at a time.
* ``validate``: XSD validation with lxml and hrtc's rules (dates in order, percentages, codelists).
* ``importer``: ``import_file(path, by=...)`` — ``iterparse`` with element clearing, all-or-nothing per file.
"""
