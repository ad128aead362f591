"""Welfare coordinators' packages for municipal and county welfare reports, and the national export."""
