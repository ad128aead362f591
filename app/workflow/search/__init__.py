"""Finding reports by their number or by the words of their text, proposal and notes."""
