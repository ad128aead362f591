"""Blueprints: thin request handlers that parse, call one operation and render."""
