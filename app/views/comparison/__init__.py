"""Views of the comparison of counties from open data: THL's three views over the harvested exports
(public.py, for anyone, no login)."""
