"""Business rules, one sub-package per feature; views call them, they never call views."""
