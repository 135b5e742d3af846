"""The checks: project rules on the loaded project (``rules``), the editor's check of a typed manuscript
(``editor``), and the report in text, JSON, GitHub, JUnit and SARIF forms (``report``)."""
