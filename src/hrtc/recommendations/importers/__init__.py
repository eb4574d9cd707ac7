"""Recommendation importers: pure-Python parsers that stream a file and yield plain records.

Each format is a module with `FORMAT`, `LABEL`, `sniff(path, header)` and `parse(path)`:

* `hrtc_template` (`hrtc`): hrtc's own CSV/XLSX template (`write_template` writes an example);
* `uprinfo` (`uprinfo`): the UPR Info database export;
* `ohchr_matrix` (`ohchr-matrix`): OHCHR's UPR "thematic list of recommendations" (.docx or CSV);
* `uhri` (`uhri`): the Universal Human Rights Index export.

`detect.parse(path, format=None)` picks the parser (detected from the content and header row when
`format` is None). Parsers never touch the database; `hrtc.recommendations.importing` resolves names and
stores the records. Bad rows raise `ImportRowError` (file, row, field, reason).
"""

from hrtc.core.exceptions import ImportRowError
from hrtc.recommendations.importers.records import PledgeRecord, RecommendationRecord

__all__ = ["ImportRowError", "PledgeRecord", "RecommendationRecord"]
