"""Half-yearly compilations: periods, statistics, charts, content, review and publication, exports and the HYTE annual clock."""
