"""Views of phenomena: the coding of reports, phenomenon groups and follow-ups, similar reports and weak
signals, and indicators beside the reports; each module has its own blueprint."""
