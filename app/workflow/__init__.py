"""Business rules of a report's life: filing, numbering, tracking, statuses and levels."""
