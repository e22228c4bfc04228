"""Import an organisation's own code (PDF, DOCX, HTML, Markdown or text) as a content pack to review."""
