"""Comparing counties from open data (THL's national model, seed 000): harvesting the counties' published
national exports, and THL's three views of them (tilannekuva, ilmiöstä tiiviisti, ilmiönäkymä) at the levels
Finland, collaborative area, county and, in the phenomenon view, municipality."""
