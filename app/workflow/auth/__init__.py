"""Signing in: single sign-on, and the limits on guessing passwords and tracking codes."""
