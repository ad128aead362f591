"""From reports to phenomena: THL's national phenomena coded on each report, the working group's
phenomenon groups and what came of their proposals, similar reports and weak signals, and indicators
beside the reports (seed 000: THL's phenomenon-based national model; 004: weak signals)."""
