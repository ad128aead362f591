"""Administration: the organisation and its CSV, people, forums and themes, site settings, API tokens and retention."""
