"""Reaching the staff: unit contact persons (their figures, their reports' progress, their network) and
the administrator's reminder campaigns."""
