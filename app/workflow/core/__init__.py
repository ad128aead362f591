"""The shared core every feature builds on: refusals, the unit of work, permissions, audit, anonymity, privacy, spreadsheets and job leases."""
