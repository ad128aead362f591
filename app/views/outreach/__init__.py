"""Views that reach beyond the staff's own reporting: the partners' form, and the unit contact persons'
pages with the administrator's reminder campaigns."""
