"""Mail: the outbox delivered after commit, the notices about reports, deadline reminders and digests."""
