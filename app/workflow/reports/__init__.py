"""Filing a report: the form's choices, numbering, tracking codes and finding a report by them."""
