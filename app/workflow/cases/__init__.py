"""Handling a case: the transition table, the operations, routing, deadlines, the inbox and the dashboard."""
