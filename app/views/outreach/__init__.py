"""Views that reach beyond the staff's own reporting: the partners' form, the unit contact persons'
pages with the administrator's reminder campaigns, the open data other installations harvest,
and the administrator's harvest of other counties' open data."""
