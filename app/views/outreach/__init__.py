"""Views that reach beyond the staff's own reporting: the partners' form, the unit contact persons'
pages with the administrator's reminder campaigns, and the open data other installations harvest."""
