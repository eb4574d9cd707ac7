"""Reports: the thematic report for the Council's panel, country profiles, fund annual reports and gender
reports. A report is a set of named queries over the platform's data (`queries.py`), assembled into sections
(`builders.py`) and rendered to HTML, PDF, DOCX and an XLSX data annex (`exporters/`), with a manifest that
says which query produced every table and figure. Saved reports are versioned documents with a symbol."""
